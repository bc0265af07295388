import type { ClientKey } from '../domain/client-address'
import type { HitOutcome } from '../domain/fixed-window'
import type { E164 } from '../domain/phone-number'
import type { Guess, GuessOutcome, NewCode, SendOutcome } from '../domain/sign-in-attempts'
import type { ProviderVerdict } from '../integrations/sms/code-sender'
import type { Services } from './container'
import { hmacSha256 } from '../domain/hmac'
import { numberRange, phoneNumberRegion } from '../domain/phone-number'
import { budgetOf } from '../domain/sign-in-attempts'
import { RateLimited, ResendCooldown, StorageUnavailable } from '../lib/errors'
import { currentRequestContext, remoteOperation } from '../lib/request-context'

const HOUR = 3_600
const DAY = 86_400

/**
 * A country's ceiling is kept in this many objects, each with its share, chosen by the number's range: no single
 * object sees every send of a country, and a burst into one range fills only its share.
 */
const COUNTRY_SHARDS = 16

/** The strongly consistent store of one phone number's codes, sends and guesses. */
async function attemptsFor(services: Services, phoneNumber: E164) {
  // Named by a keyed hash, so no phone number appears in object names or in the platform's listings.
  return services.attempts.getByName(await hmacSha256(services.config.OTP_HMAC_SECRET, `attempts:${phoneNumber}`))
}

export type ClientAction = 'send' | 'verify'

function clientLimiter(services: Services, action: ClientAction, clientKey: ClientKey) {
  return services.rateLimiter.getByName(`${action}:${clientKey}`)
}

/** The caps on SMS to numbers that have never signed in: per number range, and a higher ceiling per country. */
function newNumberCaps(services: Services, phoneNumber: E164) {
  const { config } = services
  const range = numberRange(phoneNumber)
  const { callingCode } = phoneNumberRegion(phoneNumber)
  return {
    range: services.rateLimiter.getByName(`sms-range:${range}`),
    rangeLimit: config.SMS_NEW_NUMBERS_PER_RANGE_PER_DAY,
    country: services.rateLimiter.getByName(`sms-country:+${callingCode}:${shardOf(range)}`),
    countryLimit: Math.ceil(config.SMS_NEW_NUMBERS_PER_COUNTRY_PER_DAY / COUNTRY_SHARDS),
  }
}

function shardOf(key: string): number {
  let hash = 0x811C9DC5
  for (let i = 0; i < key.length; i++)
    hash = Math.imul(hash ^ key.charCodeAt(i), 0x01000193)
  return (hash >>> 0) % COUNTRY_SHARDS
}

export interface ChargedSend {
  /** Gives back everything the send was charged, when the SMS could not be sent. */
  refund: () => Promise<void>
  /** Keeps the provider's reference to the code it made, after the answer. */
  remember: (providerReference: string) => void
}

function allowed<T extends { allowed: boolean }>(result: PromiseSettledResult<T | undefined>): boolean {
  return result.status === 'fulfilled' && result.value?.allowed === true
}

/**
 * Charges a send to every limit at once — the client's hourly quota, the number's cooldown and quotas (its Durable
 * Object, which also stores the code), and for numbers that have never signed in the range and country caps — so a
 * send waits for one round of calls, not four in a row. Whatever one limit refuses, the others that allowed it are
 * given back; a returning user's cap charges are given back too, after the answer (returning users never count
 * against the caps, so a flood of new numbers cannot lock them out).
 */
export async function chargeSend(services: Services, phoneNumber: E164, code: NewCode, clientKey: ClientKey, caps: boolean): Promise<ChargedSend> {
  const { config } = services
  const client = clientLimiter(services, 'send', clientKey)
  const number = await attemptsFor(services, phoneNumber)
  const capped = caps
    ? newNumberCaps(services, phoneNumber)
    : undefined
  const [clientHit, sent, rangeHit, countryHit] = await remoteOperation('durable_object', Promise.allSettled([
    client.hit(config.IP_SENDS_PER_HOUR, HOUR),
    number.startSend({
      resendSeconds: config.OTP_RESEND_SECONDS,
      sendsPerHour: config.OTP_SENDS_PER_HOUR,
      sendsPerHourPerClient: config.OTP_SENDS_PER_HOUR_PER_CLIENT,
      codeTtlSeconds: config.OTP_TTL_SECONDS,
    }, code),
    capped?.range.hit(capped.rangeLimit, DAY),
    capped?.country.hit(capped.countryLimit, DAY),
  ]))
  // Given back once at most: a returning user's charges go back right away, and a failed SMS must not return them twice.
  let capsRefunded = false
  const refundCaps = () => {
    if (capsRefunded)
      return []
    capsRefunded = true
    return [
      allowed(rangeHit) && capped?.range.refund(DAY),
      allowed(countryHit) && capped?.country.refund(DAY),
    ]
  }
  const refundAll = async () => {
    await remoteOperation('durable_object', Promise.allSettled([
      allowed(clientHit) && client.refund(HOUR),
      allowed(sent) && number.cancelSend(code.id),
      ...refundCaps(),
    ]))
  }

  const failed = [clientHit, sent, rangeHit, countryHit].find(result => result.status === 'rejected')
  if (failed) {
    await refundAll()
    throw limitsUnavailable(failed.reason)
  }
  const refusal = sendRefusal(clientHit, sent, rangeHit, countryHit)
  if (refusal) {
    await refundAll()
    throw refusal
  }
  if (sent.status === 'fulfilled' && sent.value.allowed && sent.value.registered && capped)
    inBackground(Promise.allSettled(refundCaps()))
  return {
    refund: refundAll,
    remember: reference => inBackground(number.setProviderReference(code.id, reference)),
  }
}

type Settled<T> = PromiseSettledResult<T | undefined>

function sendRefusal(
  clientHit: Settled<HitOutcome>,
  sent: Settled<SendOutcome>,
  rangeHit: Settled<HitOutcome>,
  countryHit: Settled<HitOutcome>,
): Error | undefined {
  const value = <T>(result: Settled<T>) => result.status === 'fulfilled'
    ? result.value
    : undefined
  const clientOutcome = value(clientHit)
  if (clientOutcome && !clientOutcome.allowed)
    return new RateLimited(`Too many code requests from your network. Try again in ${clientOutcome.retryAfterSeconds} s.`, clientOutcome.retryAfterSeconds)
  const sendOutcome = value(sent)
  if (sendOutcome && !sendOutcome.allowed) {
    const wait = sendOutcome.retryAfterSeconds
    if (sendOutcome.reason === 'resend_cooldown')
      return new ResendCooldown(`A code was sent moments ago. You can ask for another in ${wait} s.`, wait)
    if (sendOutcome.reason === 'client_quota')
      return new RateLimited(`You have asked for enough codes for this number this hour. Try again in ${wait} s.`, wait)
    return new RateLimited(`Too many codes for this number this hour. Try again in ${wait} s.`, wait)
  }
  if (sendOutcome?.registered)
    return undefined
  const capOutcome = [
    value(rangeHit),
    value(countryHit),
  ].find(outcome => outcome && !outcome.allowed)
  if (capOutcome && !capOutcome.allowed) {
    // An operator wants to know: either a pumping attack on a range, or a launch bigger than the caps allow.
    const request = currentRequestContext()
    if (request)
      request.securityEvent = 'sms_cap_reached'
    return new RateLimited(`Sign-in codes to new numbers in this range are paused for now. Try again in ${capOutcome.retryAfterSeconds} s.`, capOutcome.retryAfterSeconds)
  }
  return undefined
}

/** A Durable Object that did not answer: nothing was decided, and the client may retry shortly. */
function limitsUnavailable(cause: unknown): StorageUnavailable {
  return new StorageUnavailable('Sign-in codes cannot be stored or checked right now; please retry shortly.', { cause })
}

/** Work the answer need not wait for, kept alive after it by the platform (every request has a context). */
function inBackground(task: Promise<unknown>): void {
  currentRequestContext()?.waitUntil(task)
}

export interface CheckedGuess {
  outcome: GuessOutcome
  /** Gives a used code back when the sign-in did not go through. */
  release: () => Promise<void>
}

/** The provider that made the number's code (Twilio Verify): asked about the guess, told when the code is dead. */
export interface ProviderCheck {
  check: () => Promise<ProviderVerdict>
  cancel: (providerReference: string) => Promise<void>
  maxChecks: number
}

/**
 * Checks a guess against the number's code and charges the client's hourly quota, in one round of calls. A client
 * over its quota is refused whatever the guess was, and a code its guess used is given back: the 429 says nothing
 * of whether the guess was right. A code the provider made is asked about only after the guess was counted, and
 * used here only if the provider approved it: two more hops, the second to keep single use ours.
 */
export async function checkGuess(services: Services, phoneNumber: E164, attempt: Guess, clientKey: ClientKey, provider?: ProviderCheck): Promise<CheckedGuess> {
  const { config } = services
  const number = await attemptsFor(services, phoneNumber)
  const [clientHit, checked] = await remoteOperation('durable_object', Promise.allSettled([
    clientLimiter(services, 'verify', clientKey).hit(config.IP_VERIFIES_PER_HOUR, HOUR),
    number.guess(config.OTP_MAX_ATTEMPTS, attempt),
  ]))
  let used = checked.status === 'fulfilled' && checked.value.outcome === 'signed_in'
    ? checked.value.verificationId
    : undefined
  const release = async () => {
    if (used)
      await remoteOperation('durable_object', number.releaseCode(used))
  }
  if (clientHit.status === 'rejected' || checked.status === 'rejected') {
    await release()
    throw limitsUnavailable(clientHit.status === 'rejected'
      ? clientHit.reason
      : (checked as PromiseRejectedResult).reason)
  }
  if (!clientHit.value.allowed) {
    await release()
    throw new RateLimited(`Too many sign-in attempts from your network. Try again in ${clientHit.value.retryAfterSeconds} s.`, clientHit.value.retryAfterSeconds)
  }
  const outcome = checked.value.outcome === 'ask_provider'
    ? await settleWithProvider(number, checked.value, attempt, provider)
    : checked.value
  if (outcome.outcome === 'signed_in')
    used = outcome.verificationId
  return { outcome, release }
}

type AttemptsStub = Awaited<ReturnType<typeof attemptsFor>>

/**
 * The provider's answer to a counted guess. An approval uses the code in the number's object, which lets only one
 * of any racing approvals through; a provider that could not be asked compared nothing, so the guess is not counted.
 * A code that has had all the checks the provider allows is cancelled there after the answer, so the next send makes
 * a new one instead of resending a dead one until it expires.
 */
async function settleWithProvider(number: AttemptsStub, pending: Extract<GuessOutcome, { outcome: 'ask_provider' }>, attempt: Guess, provider?: ProviderCheck): Promise<GuessOutcome> {
  // The deployment no longer uses the provider that made this code: nothing can check it.
  if (!provider)
    return { outcome: 'no_code' }
  let verdict: ProviderVerdict
  try {
    verdict = await remoteOperation('sms', provider.check())
  }
  catch (error) {
    await remoteOperation('durable_object', Promise.allSettled([
      number.uncountGuess(pending.verificationId, budgetOf(attempt)),
    ]))
    throw error
  }
  if (verdict === 'approved') {
    try {
      return await remoteOperation<GuessOutcome>('durable_object', number.confirmProviderCode(pending.verificationId, attempt.hash))
    }
    catch (error) {
      throw limitsUnavailable(error)
    }
  }
  if (verdict === 'expired')
    return { outcome: 'no_code' }
  // Once the provider has had all the checks it allows, its code is dead for everyone, whatever our budgets say.
  const spent = verdict === 'exhausted' || pending.providerChecks >= provider.maxChecks
  if (spent && pending.providerReference) {
    inBackground(Promise.allSettled([
      provider.cancel(pending.providerReference),
    ]))
  }
  return spent || pending.attemptsLeft === 0
    ? { outcome: 'attempts_exhausted' }
    : { outcome: 'wrong_code', attemptsLeft: pending.attemptsLeft }
}
