import type { UserRow } from '../db/user-row'
import type { ClientKey } from '../domain/client-address'
import type { E164 } from '../domain/phone-number'
import type { Channel, CodeOwner, CodeSender } from '../integrations/sms/code-sender'
import type { Locale } from '../integrations/sms/locales'
import type { Services } from './container'
import type { TokenPair } from './tokens'
import { signInUser } from '../db/sign-in'
import { networkSignal } from '../domain/client-network'
import { hmacSha256 } from '../domain/hmac'
import { numberType, PHONE_NUMBER_MESSAGE, phoneNumberRegion } from '../domain/phone-number'
import { randomToken } from '../domain/random'
import { generateReferralCode } from '../domain/referral-code'
import { newRefreshToken } from '../domain/refresh-token'
import { generateSignInCode, hashSignInCode } from '../domain/sign-in-code'
import { CHANNELS, RecipientRefused } from '../integrations/sms/code-sender'
import { ChannelNotAvailable, HumanCheckFailed, InvalidSignInCode, NoTelegramAccount, PhoneNumberNotTextable, RateLimited, SignInCodeAttemptsExceeded, SmsCountryNotAllowed, ValidationFailed } from '../lib/errors'
import { remoteOperation } from '../lib/request-context'
import { rewardKeyOf } from './rewarded-numbers'
import { chargeSend, checkGuess } from './sign-in-limits'
import { refreshTokenExpiry, tokenPair } from './tokens'
import { publishEvents, webhooksOn } from './webhooks'

/** Who is asking: the key their quotas are counted under, their address for the human check, and its token. */
export interface SignInClient {
  key: ClientKey
  address?: string
  turnstileToken?: string
}

/** The request field that holds the number, so a refusal names what the client sent: sign-in's, or a new number's. */
export type NumberField = 'phone_number' | 'new_phone_number'

/** How the code travels: the channel asked for (sms when none) and the language of its text. */
export interface Delivery {
  channel?: string
  locale?: Locale
}

/**
 * Texts a fresh code. The number's earlier codes stay valid (a stranger asking for a code does not cancel the one
 * its owner is typing); the answer's verification id names this code. Every limit is charged before anything is
 * sent, and given back if the SMS fails, so the client may retry at once and no code exists that was never sent.
 * The limits are the number's whatever the channel: switching channels resets nothing.
 */
export async function sendSignInCode(services: Services, phoneNumber: E164, client: SignInClient, field: NumberField = 'phone_number', delivery: Delivery = {}): Promise<{ expiresIn: number, verificationId: string, channel: Channel }> {
  const { config } = services
  const { channel, sender } = senderOf(services, delivery.channel ?? 'sms')
  const testCode = config.TEST_PHONE_NUMBERS.get(phoneNumber)
  if (!testCode)
    requireTextable(services, phoneNumber, field)
  await requireHuman(services, client)

  // A provider that owns the code makes it; ours is kept only as a keyed hash. Test numbers keep their fixed code.
  const code = testCode ?? (sender.ownsCode
    ? undefined
    : generateSignInCode(config.OTP_LENGTH))
  const verificationId = randomToken(16)
  const charged = await chargeSend(services, phoneNumber, {
    id: verificationId,
    hash: code === undefined
      ? undefined
      : await hashSignInCode(config.OTP_HMAC_SECRET, phoneNumber, code),
    // Kept in the number's state for an hour: a keyed hash, so it holds no address.
    client: (await hmacSha256(config.OTP_HMAC_SECRET, `client:${client.key}`)).slice(0, 16),
  }, client.key, !testCode)
  // Test numbers are answered with their fixed code and never texted.
  if (!testCode) {
    const message = { to: phoneNumber, locale: delivery.locale ?? config.SMS_DEFAULT_LOCALE, ttlSeconds: config.OTP_TTL_SECONDS }
    try {
      if (sender.ownsCode)
        charged.remember(await remoteOperation('sms', sender.send(message)))
      else
        await remoteOperation('sms', sender.send({ ...message, code: code! }))
    }
    catch (error) {
      await charged.refund()
      throw error instanceof RecipientRefused
        ? refusalProblem(error, field)
        : error
    }
  }
  return { expiresIn: config.OTP_TTL_SECONDS, verificationId, channel }
}

/** The sender of a channel this deployment offers; any other name, known or not, is refused naming it. */
function senderOf(services: Services, name: string): { channel: Channel, sender: CodeSender } {
  const channel = CHANNELS.find(candidate => candidate === name)
  const sender = channel && services.senders[channel]
  if (!sender) {
    const offered = Object.keys(services.senders).join(', ')
    throw new ChannelNotAvailable(`Codes are not sent through "${name}" here; use one of: ${offered}.`, {
      errors: [
        { path: 'channel', message: `Use one of: ${offered}` },
      ],
    })
  }
  return { channel, sender }
}

/** Twilio Verify's own window for sends to one number (error 60203: five in ten minutes). */
const PROVIDER_SEND_WINDOW_SECONDS = 600

/** What the client can do about a provider's refusal: another number, another channel, or later. */
function refusalProblem(refusal: RecipientRefused, field: NumberField): Error {
  switch (refusal.reason) {
    case 'no_telegram_account':
      return new NoTelegramAccount('Telegram cannot deliver to this number; ask for the code by SMS instead.', {
        errors: [
          { path: 'channel', message: 'No Telegram account on this number' },
        ],
        cause: refusal,
      })
    case 'too_many_sends':
      return new RateLimited(`The SMS provider has sent this number enough codes for now. Try again in ${PROVIDER_SEND_WINDOW_SECONDS} s.`, PROVIDER_SEND_WINDOW_SECONDS)
    default:
      return new PhoneNumberNotTextable(refusal.reason === 'fraud_blocked'
        ? 'The SMS provider\'s fraud protection does not send codes to this number.'
        : 'The SMS provider does not accept this number.', {
        errors: [
          { path: field, message: 'Enter a mobile number' },
        ],
        cause: refusal,
      })
  }
}

export interface SignInResult extends TokenPair {
  is_new_user: boolean
  user: UserRow
}

/** A code someone says was texted to a number, with the verification id send_sms named it by, if they kept it. */
export interface CodeProof {
  code: string
  verificationId?: string
}

/**
 * Proves the caller holds `phoneNumber` (signing in, deleting the account, moving to a new number): checks the code
 * sent to it and uses it up, under the same limits as signing in. The number's Durable Object counts the guess
 * before comparing it and lets only the first right guess use the code; a guess with the verification id draws on
 * that code's own budget, one without on the budget shared by everyone else. The answer gives the code back, for
 * a caller whose step fails after the proof, so the person can retry with the same code.
 */
export async function redeemSignInCode(services: Services, phoneNumber: E164, proof: CodeProof, clientKey: ClientKey): Promise<{ release: () => Promise<void> }> {
  const hash = await hashSignInCode(services.config.OTP_HMAC_SECRET, phoneNumber, proof.code)
  const owner = Object.values(services.senders).find((sender): sender is CodeOwner => sender.ownsCode)
  const provider = owner && {
    check: () => owner.check(phoneNumber, proof.code),
    cancel: owner.cancel,
    maxChecks: owner.maxChecks,
  }
  const { outcome, release } = await checkGuess(services, phoneNumber, { verificationId: proof.verificationId, hash }, clientKey, provider)
  if (outcome.outcome === 'attempts_exhausted') {
    throw new SignInCodeAttemptsExceeded('Too many wrong codes: this one no longer works. Request a new code.', {
      errors: [
        { path: 'sms_code', message: 'Too many wrong attempts; request a new code' },
      ],
    })
  }
  if (outcome.outcome !== 'signed_in') {
    const left = outcome.outcome === 'wrong_code'
      ? ` ${outcome.attemptsLeft} attempt(s) left.`
      : ''
    throw new InvalidSignInCode(`The code is wrong, expired or already used. Check it, or request a new one.${left}`, {
      errors: [
        { path: 'sms_code', message: 'The code is wrong, expired or already used' },
      ],
      attemptsLeft: outcome.outcome === 'wrong_code'
        ? outcome.attemptsLeft
        : undefined,
    })
  }
  return { release }
}

/** Undoes a proved code's use when `step` fails, and passes the failure on. */
export async function withProof<T>(proof: { release: () => Promise<void> }, step: () => Promise<T>): Promise<T> {
  try {
    return await step()
  }
  catch (error) {
    await proof.release()
    throw error
  }
}

/**
 * Checks the code, uses it up, and signs the user in, registering them on their first sign-in, on the device
 * `deviceLabel` names (shown in their list of sessions).
 */
export async function verifySignInCode(services: Services, phoneNumber: E164, proof: CodeProof, clientKey: ClientKey, deviceLabel: string | null): Promise<SignInResult> {
  const proved = await redeemSignInCode(services, phoneNumber, proof, clientKey)
  const refresh = await newRefreshToken()
  const familyId = crypto.randomUUID()
  const signedIn = await withProof(proved, async () => signInUser(services.db, phoneNumber, {
    familyId,
    refreshTokenHash: refresh.hash,
    expiresAt: refreshTokenExpiry(services),
    deviceLabel,
    rewardKey: await rewardKeyOf(services, phoneNumber),
    network: await networkSignal(services.config.OTP_HMAC_SECRET, clientKey),
  }, generateReferralCode, webhooksOn(services)))
  const { is_new, events, ...user } = signedIn
  publishEvents(services, events)
  return {
    ...await tokenPair(services, user.id, familyId, refresh.token),
    is_new_user: is_new,
    user,
  }
}

/**
 * Only numbers that can receive a text get one: premium-rate, satellite, VoIP and similar ranges are where SMS
 * pumping fraud sends its traffic, and a number the numbering plan does not know cannot be texted at all.
 */
function requireTextable(services: Services, phoneNumber: E164, field: NumberField): void {
  const { config } = services
  const type = numberType(phoneNumber)
  if (type === null) {
    throw new ValidationFailed(`${field}: ${PHONE_NUMBER_MESSAGE}`, {
      errors: [
        { path: field, message: PHONE_NUMBER_MESSAGE },
      ],
    })
  }
  // Where a country's plan cannot tell a number's type, it is not texted: no one can vouch it is not a premium line.
  if (type === 'UNKNOWN' || !config.SMS_NUMBER_TYPES.has(type)) {
    const kind = type === 'UNKNOWN'
      ? 'of a kind its numbering plan does not tell'
      : type.toLowerCase().replaceAll('_', '-')
    throw new PhoneNumberNotTextable(`Sign-in codes are sent to mobile numbers only; this one is ${kind}.`, {
      errors: [
        { path: field, message: 'Enter a mobile number' },
      ],
    })
  }
  const { country } = phoneNumberRegion(phoneNumber)
  if (config.SMS_ALLOWED_COUNTRIES.length > 0 && !config.SMS_ALLOWED_COUNTRIES.includes(country ?? '')) {
    throw new SmsCountryNotAllowed('This service does not send sign-in codes to numbers in this country.', {
      errors: [
        { path: field, message: 'We do not send SMS to this country' },
      ],
    })
  }
}

/** With Turnstile on, a code goes out only to a client that has just passed its challenge. */
async function requireHuman(services: Services, client: SignInClient): Promise<void> {
  if (!services.humanCheck)
    return
  if (!client.turnstileToken || !await remoteOperation('turnstile', services.humanCheck.verify(client.turnstileToken, client.address))) {
    throw new HumanCheckFailed('Complete the human check (Cloudflare Turnstile), then ask for the code again.', {
      errors: [
        { path: 'turnstile_token', message: 'The human check is missing or was not passed' },
      ],
    })
  }
}
