import type { MiddlewareHandler } from 'hono'
import type { AppBindings } from '../lib/types'
import { cors } from 'hono/cors'
import { loadConfig } from '../config'

// Bearer tokens travel in a header the page sets itself, never in cookies, so credentials mode is not needed and
// Access-Control-Allow-Credentials is never sent.
function allowlistCors(origins: string[]): MiddlewareHandler<AppBindings> {
  return cors({
    origin: origin => origins.includes(origin)
      ? origin
      : null,
    allowMethods: ['GET', 'POST', 'PATCH', 'DELETE'],
    allowHeaders: ['Authorization', 'Content-Type', 'X-Request-Id'],
    exposeHeaders: ['X-Request-Id', 'Retry-After', 'WWW-Authenticate'],
    maxAge: 600,
  })
}

const handlers = new WeakMap<string[], MiddlewareHandler<AppBindings>>()

/**
 * CORS for the origins in CORS_ALLOWED_ORIGINS, exactly as listed. Any other origin gets no CORS header at all (a
 * preflight from it falls through to 404), and with an empty list the API sends none to anyone. Responses still
 * say `Vary: Origin`, so a cache never hands one origin's answer to another.
 */
export const corsFromConfig: MiddlewareHandler<AppBindings> = async (c, next) => {
  const origins = loadConfig(c.env).CORS_ALLOWED_ORIGINS
  if (origins.length === 0)
    return next()
  if (!origins.includes(c.req.header('Origin') ?? '')) {
    await next()
    c.header('Vary', 'Origin', { append: true })
    return
  }
  let handler = handlers.get(origins)
  if (!handler) {
    handler = allowlistCors(origins)
    handlers.set(origins, handler)
  }
  return handler(c, next)
}
