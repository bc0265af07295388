import type { Hook } from '@hono/zod-openapi'
import type { AppBindings } from './types'
import { OpenAPIHono } from '@hono/zod-openapi'
import { bodyLimit } from 'hono/body-limit'
import { getPath } from 'hono/utils/url'
import { corsFromConfig } from '../middleware/cors'
import { noStore } from '../middleware/no-store'
import { requestLog } from '../middleware/request-log'
import { getServices } from '../services/container'
import { PayloadTooLarge, RouteNotFound, ValidationFailed } from './errors'
import { problemResponse, toAppError } from './problem'

const MAX_BODY_BYTES = 16 * 1024
const API_PATHS = ['/users/*', '/.well-known/*', '/health/*']
/** Server-to-server only: no browser calls it, so it gets no CORS headers. */
const SERVER_API_PATH = '/server/*'
/** Where answers carry tokens or personal data: the API's sign-in and profile operations, the server API, the pages. */
const PERSONAL_PATHS = ['/users/*', SERVER_API_PATH]

/** Every route's validation failure becomes one problem+json shape, naming each wrong field. */
const validationHook: Hook<unknown, AppBindings, string, unknown> = (result) => {
  if (!result.success) {
    const errors = result.error.issues.flatMap((issue) => {
      const path = issue.path.map(String)
      // An unknown key is reported against itself, so a typo like "firstname" is pointed at directly.
      if (issue.code === 'unrecognized_keys') {
        return issue.keys.map(key => ({
          path: [...path, key].join('.'),
          message: 'Unknown field',
        }))
      }
      return [
        { path: path.join('.') || result.target, message: issue.message },
      ]
    })
    const summary = errors.map(error => `${error.path}: ${error.message}`).join('; ')
    throw new ValidationFailed(summary, { errors })
  }
}

export function createRouter() {
  return new OpenAPIHono<AppBindings>({ defaultHook: validationHook })
}

/**
 * The contract's paths end in a slash (/users/profile/); clients may leave it off. Routing on the path with the
 * slash added serves both spellings from one route, with no redirect (which would turn a POST into a GET).
 * File-like paths (/openapi.json) are left as they are.
 */
function pathWithTrailingSlash(request: Request): string {
  const path = getPath(request)
  return path.endsWith('/') || /\.[a-z]+$/i.test(path)
    ? path
    : `${path}/`
}

export function createApp() {
  const app = new OpenAPIHono<AppBindings>({ defaultHook: validationHook, getPath: pathWithTrailingSlash })
  app.use(requestLog)
  for (const path of PERSONAL_PATHS)
    app.use(path, noStore)
  // Before the body limit, so a browser can read every refusal, a 413 included.
  for (const path of API_PATHS)
    app.use(path, corsFromConfig)
  app.use(bodyLimit({
    maxSize: MAX_BODY_BYTES,
    onError: () => { throw new PayloadTooLarge(`The request body exceeds ${MAX_BODY_BYTES} bytes.`) },
  }))
  // Only the API needs configuration and storage; the docs keep working on a misconfigured deployment.
  for (const path of [...API_PATHS, SERVER_API_PATH]) {
    app.use(path, async (c, next) => {
      c.set('services', getServices(c.env))
      await next()
    })
  }
  app.notFound(c => problemResponse(c, new RouteNotFound(`No operation at ${c.req.method} ${new URL(c.req.url).pathname}.`)))
  app.onError((error, c) => {
    const problem = toAppError(error)
    // Logged once, in the request's own log line, with the request id the client also receives.
    if (problem.status >= 500 && c.var.request)
      c.var.request.error = `${problem.code}: ${describeError(problem.cause ?? problem)}`
    return problemResponse(c, problem)
  })
  return app
}

/**
 * The log line carries the cause chain's names, error codes (a Postgres SQLSTATE says what failed better than its
 * message) and messages; our own messages never contain codes or tokens. A failed query's message quotes its SQL
 * and parameters (phone numbers, token hashes), so only its first words stay.
 */
export function describeError(error: unknown): string {
  const parts: string[] = []
  for (let current = error; current instanceof Error && parts.length < 5; current = current.cause)
    parts.push(`${current.name}${errorCode(current)}: ${withoutQuery(current.message)}`)
  return parts.join(' <- ') || String(error)
}

function errorCode(error: Error): string {
  return 'code' in error && typeof error.code === 'string'
    ? ` [${error.code}]`
    : ''
}

function withoutQuery(message: string): string {
  return message.startsWith('Failed query:')
    ? 'Failed query (statement and parameters left out)'
    : message
}
