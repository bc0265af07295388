// The per-number rules of sign-in: how often a code may be sent (and by whom), which codes are live, how many
// guesses each allows, and that a code is used once. Pure functions over a small state, so the Durable Object that
// keeps the state (one per phone number, which serialises every request for that number) only loads, applies and
// saves. The object is the code's only store: strongly consistent, so a code that was sent can always be checked.
import { timingSafeEqual } from './timing-safe-equal'

const HOUR_MS = 3_600_000

/** One sent code. Its id goes back to whoever asked for it, and guesses that present the id are counted apart. */
export interface Verification {
  id: string
  /**
   * The code's keyed hash, bound to the number; the code itself is never stored. None while the provider that sent
   * the code (Twilio Verify) made it and alone can check it; set once the provider approved a guess.
   */
  hash?: string
  /** The provider's reference to a code it made (Twilio's verification SID), once it is known. */
  providerReference?: string
  sentAt: number
  expiresAt: number
  /** Guesses that presented this verification's id. */
  attempts: number
  /**
   * Guesses that named only the number (clients of the original API, or a stranger): a budget of their own, so a
   * stranger burning guesses can never use up those of the person holding the id.
   */
  anonymousAttempts: number
  used: boolean
}

export interface SignInAttemptsState {
  /** The last hour's sends, oldest first, each with the (hashed) client that asked for it. */
  sends: { at: number, client: string }[]
  /** Codes still worth keeping, oldest first: a new send does not cancel the codes others asked for. */
  verifications: Verification[]
  /** Someone has signed in with this number: caps on new numbers never stop it. Kept after everything else goes. */
  registered?: true
  /** The clean-up alarm already set, so it is written again only when it must move later. */
  alarmAt?: number
}

export interface SendPolicy {
  resendSeconds: number
  sendsPerHour: number
  /** How many of the number's hourly sends one client may use, so no one client can use them all up. */
  sendsPerHourPerClient: number
  codeTtlSeconds: number
}

export interface NewCode {
  id: string
  /** None when the provider makes and checks the code. */
  hash?: string
  /** The requesting client, as a keyed hash. */
  client: string
}

export type SendOutcome
  = | { allowed: true, registered: boolean }
    | { allowed: false, reason: 'resend_cooldown' | 'hourly_quota' | 'client_quota', retryAfterSeconds: number }

/** A guess: the code's keyed hash, and the verification id when the client has one. */
export interface Guess {
  verificationId?: string
  hash: string
}

export type GuessOutcome
  = | { outcome: 'signed_in', verificationId: string }
    | { outcome: 'wrong_code', attemptsLeft: number }
    /** The last guess this budget allowed was wrong, or none were left: the code is dead to this kind of guess. */
    | { outcome: 'attempts_exhausted' }
    /** Nothing to compare against: no code, an unknown id, or one expired or used. No guess was counted. */
    | { outcome: 'no_code' }
    /** Counted, but only the provider that made the code can compare it: ask it, then `confirmProviderCode`. */
    | { outcome: 'ask_provider', verificationId: string, attemptsLeft: number, providerReference?: string, providerChecks: number }

/** Which of a code's two guess budgets a guess draws on. */
export type GuessBudget = 'attempts' | 'anonymousAttempts'

export function budgetOf(attempt: { verificationId?: string }): GuessBudget {
  return attempt.verificationId === undefined
    ? 'anonymousAttempts'
    : 'attempts'
}

export const emptyState = (): SignInAttemptsState => ({ sends: [], verifications: [] })

const secondsUntil = (at: number, now: number) => Math.max(1, Math.ceil((at - now) / 1000))

function prune(state: SignInAttemptsState, now: number): void {
  state.sends = state.sends.filter(send => send.at > now - HOUR_MS)
  state.verifications = state.verifications.filter(verification => verification.expiresAt > now && !verification.used)
}

export function startSend(state: SignInAttemptsState, now: number, policy: SendPolicy, code: NewCode): SendOutcome {
  prune(state, now)
  const last = state.sends.at(-1)
  if (last !== undefined && now < last.at + policy.resendSeconds * 1000) {
    return {
      allowed: false,
      reason: 'resend_cooldown',
      retryAfterSeconds: secondsUntil(last.at + policy.resendSeconds * 1000, now),
    }
  }
  if (state.sends.length >= policy.sendsPerHour) {
    return {
      allowed: false,
      reason: 'hourly_quota',
      retryAfterSeconds: secondsUntil(state.sends[0]!.at + HOUR_MS, now),
    }
  }
  const clientSends = state.sends.filter(send => send.client === code.client)
  if (clientSends.length >= policy.sendsPerHourPerClient) {
    return {
      allowed: false,
      reason: 'client_quota',
      retryAfterSeconds: secondsUntil(clientSends[0]!.at + HOUR_MS, now),
    }
  }

  state.sends.push({ at: now, client: code.client })
  state.verifications.push({
    id: code.id,
    hash: code.hash,
    sentAt: now,
    expiresAt: now + policy.codeTtlSeconds * 1000,
    attempts: 0,
    anonymousAttempts: 0,
    used: false,
  })
  return { allowed: true, registered: state.registered === true }
}

/** A send that failed or was refused elsewhere is not charged: its code, quota slot and cooldown are returned. */
export function cancelSend(state: SignInAttemptsState, verificationId: string): void {
  const verification = state.verifications.find(candidate => candidate.id === verificationId)
  if (!verification)
    return
  state.verifications = state.verifications.filter(candidate => candidate !== verification)
  const sendIndex = state.sends.findIndex(send => send.at === verification.sentAt)
  if (sendIndex !== -1)
    state.sends.splice(sendIndex, 1)
}

/**
 * Counts a guess, then compares it: however many arrive at once, no more than `maxAttempts` of each budget are
 * ever compared against a code. A guess with an id is checked against that code; one without, against the newest
 * code (what the original API did). Only the first right guess uses the code; the number's other codes go with it.
 */
export function guess(state: SignInAttemptsState, now: number, maxAttempts: number, attempt: Guess): GuessOutcome {
  const target = attempt.verificationId === undefined
    ? state.verifications.at(-1)
    : state.verifications.find(verification => verification.id === attempt.verificationId)
  if (!target || target.used || target.expiresAt <= now)
    return { outcome: 'no_code' }
  const budget = budgetOf(attempt)
  if (target[budget] >= maxAttempts)
    return { outcome: 'attempts_exhausted' }
  target[budget] += 1
  const attemptsLeft = maxAttempts - target[budget]
  if (target.hash === undefined) {
    return {
      outcome: 'ask_provider',
      verificationId: target.id,
      attemptsLeft,
      providerReference: target.providerReference,
      providerChecks: providerChecks(state, target),
    }
  }
  if (!timingSafeEqual(attempt.hash, target.hash)) {
    return attemptsLeft === 0
      ? { outcome: 'attempts_exhausted' }
      : { outcome: 'wrong_code', attemptsLeft }
  }
  return use(state, target)
}

/**
 * The guesses the provider has been asked about the code `target` names, this one included. A provider resends its
 * pending code for a new send, so several of our verifications can name one of its codes, and its cap on checks is
 * theirs together.
 */
function providerChecks(state: SignInAttemptsState, target: Verification): number {
  const sharing = target.providerReference === undefined
    ? [target]
    : state.verifications.filter(verification => verification.providerReference === target.providerReference)
  return sharing.reduce((sum, verification) => sum + verification.attempts + verification.anonymousAttempts, 0)
}

function use(state: SignInAttemptsState, target: Verification): GuessOutcome {
  target.used = true
  state.verifications = [target]
  state.registered = true
  return { outcome: 'signed_in', verificationId: target.id }
}

/**
 * The provider approved a counted guess: the code is used here, once, whatever the provider answered to guesses
 * racing it. Its keyed hash is kept from now on, so a use given back (`releaseCode`) is checked here again: the
 * provider has already spent the code.
 */
export function confirmProviderCode(state: SignInAttemptsState, now: number, verificationId: string, hash: string): GuessOutcome {
  const target = state.verifications.find(verification => verification.id === verificationId)
  if (!target || target.used || target.expiresAt <= now)
    return { outcome: 'no_code' }
  target.hash = hash
  return use(state, target)
}

/** Remembers the provider's reference to the code it sent, to cancel it when it may no longer be used. */
export function setProviderReference(state: SignInAttemptsState, verificationId: string, reference: string): void {
  const target = state.verifications.find(verification => verification.id === verificationId)
  if (target)
    target.providerReference = reference
}

/** The provider could not be asked: the guess compared nothing, so it is not counted. */
export function uncountGuess(state: SignInAttemptsState, verificationId: string, budget: GuessBudget): void {
  const target = state.verifications.find(verification => verification.id === verificationId)
  if (target && target[budget] > 0)
    target[budget] -= 1
}

/**
 * Gives a used code back when the sign-in it was used for did not happen (the database was unreachable, or the
 * client was over its own quota), so it can be retried. The guess stays counted, as a wrong one would be: whether
 * it was right must not show in what is left.
 */
export function releaseCode(state: SignInAttemptsState, verificationId: string): void {
  const verification = state.verifications.find(candidate => candidate.id === verificationId)
  if (verification)
    verification.used = false
}

/** When the transient state can be forgotten: after the hour's sends and the codes have expired. */
export function forgetAt(state: SignInAttemptsState): number | null {
  const latest = Math.max(
    0,
    ...state.sends.map(send => send.at + HOUR_MS),
    ...state.verifications.map(verification => verification.expiresAt),
  )
  return latest > 0
    ? latest
    : null
}

/** What survives the clean-up: only whether the number has ever signed in. */
export function afterForgetting(state: SignInAttemptsState | undefined): SignInAttemptsState | null {
  return state?.registered
    ? {
        ...emptyState(),
        registered: true,
      }
    : null
}
