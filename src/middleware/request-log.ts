import type { MiddlewareHandler } from 'hono'
import type { RequestContext } from '../lib/request-context'
import type { AppBindings } from '../lib/types'
import { routePath } from 'hono/route'
import { runInRequestContext } from '../lib/request-context'

const CLIENT_REQUEST_ID_LENGTH = 128

/**
 * A caller's own X-Request-Id, for correlating with its traces: cut to 128 characters, anything but letters, digits
 * and . _ : / + = - replaced by "_". It is only logged, as `client_request_id`, never taken as ours: an id the
 * caller chose could be another request's, making one client's log lines and bug reports pass for someone else's.
 */
function clientRequestId(header: string | undefined): string | undefined {
  return header?.slice(0, CLIENT_REQUEST_ID_LENGTH).replace(/[^\w.:/+=-]/g, '_') || undefined
}

/** Gives every request an id of ours (in X-Request-Id and problem bodies) and writes one JSON log line for it. */
export const requestLog: MiddlewareHandler<AppBindings> = async (c, next) => {
  const context: RequestContext = {
    requestId: crypto.randomUUID(),
    startedAt: Date.now(),
    dbRoundTrips: 0,
    hops: [],
    finishedHops: 0,
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
    client_request_id: clientRequestId(c.req.header('X-Request-Id')),
    method: c.req.method,
    route: routePath(c, -1),
    status,
    duration_ms: Date.now() - context.startedAt,
    db_round_trips: context.dbRoundTrips,
    hops: context.hops.map(kinds => [...kinds].sort().join('+')),
    user_id: c.var.userId ?? context.userId,
    server_key: context.serverKey,
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
