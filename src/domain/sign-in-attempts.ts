// The per-phone rules of sign-in: how often a code may be sent, how many guesses a code allows, and that it is
// used once. Pure functions over a small state, so the Durable Object that keeps the state (one per phone number,
// which serialises every request for that number) only loads, applies and saves.

const HOUR_MS = 3_600_000

export interface SignInAttemptsState {
  /** Epoch ms of the sends in the last hour, oldest first; charged when a send starts, refunded if it fails. */
  sends: number[]
  /** The code sent last. A new send replaces it, with a fresh generation and a fresh attempt count. */
  code?: {
    generation: string
    sentAt: number
    expiresAt: number
    attempts: number
    used: boolean
  }
}

export interface SendPolicy {
  resendSeconds: number
  sendsPerHour: number
  codeTtlSeconds: number
}

export type SendOutcome
  = | { allowed: true, generation: string }
    | { allowed: false, reason: 'resend_cooldown' | 'hourly_quota', retryAfterSeconds: number }

export type AttemptOutcome
  = | { admitted: true, generation: string, attemptsLeft: number }
    | { admitted: false, reason: 'no_code' | 'attempts_exhausted' }

export const emptyState = (): SignInAttemptsState => ({ sends: [] })

const secondsUntil = (at: number, now: number) => Math.max(1, Math.ceil((at - now) / 1000))

export function startSend(state: SignInAttemptsState, now: number, policy: SendPolicy, generation: string): SendOutcome {
  state.sends = state.sends.filter(sentAt => sentAt > now - HOUR_MS)
  const last = state.sends.at(-1)
  if (last !== undefined && now < last + policy.resendSeconds * 1000) {
    return {
      allowed: false,
      reason: 'resend_cooldown',
      retryAfterSeconds: secondsUntil(last + policy.resendSeconds * 1000, now),
    }
  }
  if (state.sends.length >= policy.sendsPerHour) {
    return {
      allowed: false,
      reason: 'hourly_quota',
      retryAfterSeconds: secondsUntil(state.sends[0]! + HOUR_MS, now),
    }
  }
  state.sends.push(now)
  state.code = {
    generation,
    sentAt: now,
    expiresAt: now + policy.codeTtlSeconds * 1000,
    attempts: 0,
    used: false,
  }
  return { allowed: true, generation }
}

/** A send that failed (SMS provider, storage) is not charged: its quota slot and cooldown are returned. */
export function cancelSend(state: SignInAttemptsState, generation: string): void {
  const code = state.code
  if (code?.generation !== generation)
    return
  state.code = undefined
  state.sends = state.sends.filter(sentAt => sentAt !== code.sentAt)
}

/**
 * Counts a guess before it is checked, so however many arrive at once, no more than `maxAttempts` are ever
 * compared against the code; after the last one the code is dead and only a new send helps.
 */
export function admitAttempt(state: SignInAttemptsState, now: number, maxAttempts: number): AttemptOutcome {
  const code = state.code
  if (!code || code.used || code.expiresAt <= now)
    return { admitted: false, reason: 'no_code' }
  if (code.attempts >= maxAttempts)
    return { admitted: false, reason: 'attempts_exhausted' }
  code.attempts += 1
  return { admitted: true, generation: code.generation, attemptsLeft: maxAttempts - code.attempts }
}

/** Gives back a guess that was never compared (the stored code could not be read). */
export function refundAttempt(state: SignInAttemptsState, generation: string): void {
  const code = state.code
  if (code?.generation === generation && !code.used && code.attempts > 0)
    code.attempts -= 1
}

/** Marks the code used; only the first caller with the right code gets `true`. */
export function useCode(state: SignInAttemptsState, generation: string): boolean {
  const code = state.code
  if (!code || code.generation !== generation || code.used)
    return false
  code.used = true
  return true
}

/** Gives a used code back when the sign-in it was used for failed (the database was unreachable), so it can be retried. */
export function releaseCode(state: SignInAttemptsState, generation: string): void {
  if (state.code?.generation === generation)
    state.code.used = false
}

/** When the state can be forgotten: nothing in it matters after the hour's sends and the code have expired. */
export function forgetAt(state: SignInAttemptsState): number | null {
  const times = [
    ...state.sends.map(sentAt => sentAt + HOUR_MS),
    state.code?.expiresAt ?? 0,
  ]
  const latest = Math.max(...times)
  return latest > 0
    ? latest
    : null
}
