import type { UserId } from '../domain/user-id'
import { AsyncLocalStorage } from 'node:async_hooks'

/** What the per-request log line reports; filled in as the request goes through the layers. */
export interface RequestContext {
  requestId: string
  startedAt: number
  dbRoundTrips: number
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

export function currentRequestContext(): RequestContext | undefined {
  return storage.getStore()
}
