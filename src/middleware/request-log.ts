import type { MiddlewareHandler } from 'hono'
import type { RequestContext } from '../lib/request-context'
import type { AppBindings } from '../lib/types'
import { routePath } from 'hono/route'
import { runInRequestContext } from '../lib/request-context'

// A caller's id is echoed only if it is a plain token: it goes into logs and headers verbatim.
const CALLER_REQUEST_ID = /^[\w.:-]{1,128}$/

/** Gives every request an id (echoed in X-Request-Id and problem bodies) and writes one JSON log line for it. */
export const requestLog: MiddlewareHandler<AppBindings> = async (c, next) => {
  const callerId = c.req.header('X-Request-Id')
  const context: RequestContext = {
    requestId: callerId && CALLER_REQUEST_ID.test(callerId)
      ? callerId
      : crypto.randomUUID(),
    startedAt: Date.now(),
    dbRoundTrips: 0,
    waitUntil: task => c.executionCtx.waitUntil(task),
  }
  c.set('request', context)
  await runInRequestContext(context, next)
  c.header('X-Request-Id', context.requestId)
  const { status } = c.res
  const level = status >= 500
    ? 'error'
    : context.securityEvent
      ? 'warn'
      : 'info'
  const line = {
    level,
    request_id: context.requestId,
    method: c.req.method,
    route: routePath(c, -1),
    status,
    duration_ms: Date.now() - context.startedAt,
    db_round_trips: context.dbRoundTrips,
    user_id: c.var.userId ?? context.userId,
    phone: context.phone,
    security_event: context.securityEvent,
    error: context.error,
  }
  if (level === 'error')
    console.error(JSON.stringify(line))
  else if (level === 'warn')
    console.warn(JSON.stringify(line))
  else
    // eslint-disable-next-line no-console -- Workers Logs collects stdout; this line is the service's access log
    console.log(JSON.stringify(line))
}
