import type { UserId } from '../domain/user-id'
import { AsyncLocalStorage } from 'node:async_hooks'

/** What a remote operation reached: each is a network hop at the edge. */
export type RemoteKind = 'database' | 'durable_object' | 'sms' | 'turnstile'

/** What the per-request log line reports; filled in as the request goes through the layers. */
export interface RequestContext {
  requestId: string
  startedAt: number
  dbRoundTrips: number
  /**
   * The remote operations the answer waited for, as sequential hops (what each reached). An operation is one hop
   * deeper than the deepest one finished when it started, so operations started together share a hop, and only a
   * chain of waits adds hops: the latency an edge location pays in round trips, whatever their number.
   */
  hops: Set<RemoteKind>[]
  /** How many hops deep the deepest finished operation is. */
  finishedHops: number
  /** The server API key's configured name (never the key), for calls to /server/v1. */
  serverKey?: string
  /** Masked, never the full number. */
  phone?: string
  /** The cause chain of a 5xx, for the log only. */
  error?: string
  /** Whose request it was, when the route learns it from something other than an access token (a refresh token). */
  userId?: UserId
  /**
   * Something an operator should be alerted to: a refresh token presented again after its rotation (reused), or
   * within the grace period but after its one sibling was issued or its session ended (grace_refused); a cap on SMS
   * to new numbers reached (a pumping attack, or a launch larger than the caps).
   */
  securityEvent?: 'refresh_token_reused' | 'refresh_token_grace_refused' | 'sms_cap_reached'
  /** Keeps work the answer need not wait for (giving back charges) alive after the response. */
  waitUntil: (task: Promise<unknown>) => void
}

// Lets the storage layer count its round trips without every function passing the request along.
const storage = new AsyncLocalStorage<RequestContext>()

export function runInRequestContext<T>(context: RequestContext, fn: () => Promise<T>): Promise<T> {
  return storage.run(context, fn)
}

/**
 * Records a remote operation the answer waits for, from now until it settles. Work left to run after the answer
 * (waitUntil) is not passed here: it costs the client nothing.
 */
export function remoteOperation<T>(kind: RemoteKind, operation: Promise<T>): Promise<T> {
  const request = storage.getStore()
  if (!request)
    return operation
  const hop = request.finishedHops
  ;(request.hops[hop] ??= new Set()).add(kind)
  return operation.finally(() => {
    request.finishedHops = Math.max(request.finishedHops, hop + 1)
  })
}

export function currentRequestContext(): RequestContext | undefined {
  return storage.getStore()
}
