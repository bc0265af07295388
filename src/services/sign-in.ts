import type { UserRow } from '../db/user-row'
import type { E164 } from '../domain/phone-number'
import type { Services } from './container'
import type { TokenPair } from './tokens'
import { signInUser } from '../db/sign-in'
import { numberType, PHONE_NUMBER_MESSAGE, phoneNumberRegion } from '../domain/phone-number'
import { generateReferralCode } from '../domain/referral-code'
import { newRefreshToken } from '../domain/refresh-token'
import { generateSignInCode, hashSignInCode, signInCodeMatches } from '../domain/sign-in-code'
import { InvalidSignInCode, RateLimited, ResendCooldown, SignInCodeAttemptsExceeded, SmsCountryNotAllowed, ValidationFailed } from '../lib/errors'
import { attemptsFor, chargeClientQuota, chargeCountryCap, refundCountryCap } from './sign-in-limits'
import { refreshTokenExpiry, tokenPair } from './tokens'

/**
 * Stores a fresh code (replacing any earlier one) and texts it. The send is charged against the number's cooldown
 * and quotas before anything is stored; if storing or sending fails, the charge is refunded and the code removed,
 * so the client may retry at once and no code exists that was never delivered.
 */
export async function sendSignInCode(services: Services, phoneNumber: E164, clientKey: string): Promise<{ expiresIn: number }> {
  const { config, signInCodes, sms } = services
  const testCode = config.TEST_PHONE_NUMBERS.get(phoneNumber)
  requireDialable(services, phoneNumber)
  const { country, callingCode } = phoneNumberRegion(phoneNumber)
  if (!testCode && config.SMS_ALLOWED_COUNTRIES.length > 0 && !config.SMS_ALLOWED_COUNTRIES.includes(country ?? '')) {
    throw new SmsCountryNotAllowed('This service does not send sign-in codes to numbers in this country.', {
      errors: [
        { path: 'phone_number', message: 'We do not send SMS to this country' },
      ],
    })
  }
  await chargeClientQuota(services, 'send', clientKey)

  const attempts = await attemptsFor(services, phoneNumber)
  const started = await attempts.startSend({
    resendSeconds: config.OTP_RESEND_SECONDS,
    sendsPerHour: config.OTP_SENDS_PER_HOUR,
    codeTtlSeconds: config.OTP_TTL_SECONDS,
  })
  if (!started.allowed) {
    if (started.reason === 'resend_cooldown')
      throw new ResendCooldown(`A code was sent moments ago. You can ask for another in ${started.retryAfterSeconds} s.`, started.retryAfterSeconds)
    throw new RateLimited(`Too many codes for this number this hour. Try again in ${started.retryAfterSeconds} s.`, started.retryAfterSeconds)
  }

  let countryCharged = false
  try {
    // Test numbers send no SMS, so they cost nothing against the country's cap.
    if (!testCode) {
      await chargeCountryCap(services, callingCode)
      countryCharged = true
    }
    const code = testCode ?? generateSignInCode(config.OTP_LENGTH)
    const expiresAt = Date.now() + config.OTP_TTL_SECONDS * 1000
    const hash = await hashSignInCode(config.OTP_HMAC_SECRET, phoneNumber, code)
    await signInCodes.put(phoneNumber, { hash, expiresAt, generation: started.generation })
    if (!testCode) {
      const minutes = Math.max(1, Math.round(config.OTP_TTL_SECONDS / 60))
      await sms.send({ to: phoneNumber, body: `${code} is your ${config.SMS_APP_NAME} sign-in code. It expires in ${minutes} min.` })
    }
  }
  catch (error) {
    await Promise.allSettled([
      signInCodes.remove(phoneNumber),
      attempts.cancelSend(started.generation),
      countryCharged
        ? refundCountryCap(services, callingCode)
        : undefined,
    ])
    throw error
  }
  return { expiresIn: config.OTP_TTL_SECONDS }
}

export interface SignInResult extends TokenPair {
  is_new_user: boolean
  user: UserRow
}

/**
 * Checks the code, uses it up, and signs the user in, registering them on their first sign-in. Each guess is
 * counted by the number's Durable Object before the code is compared, and only the first right guess uses it.
 */
export async function verifySignInCode(services: Services, phoneNumber: E164, code: string, clientKey: string): Promise<SignInResult> {
  const { config, signInCodes, db } = services
  requireDialable(services, phoneNumber)
  await chargeClientQuota(services, 'verify', clientKey)
  const attempts = await attemptsFor(services, phoneNumber)
  const [admission, stored] = await Promise.all([
    attempts.admitAttempt(config.OTP_MAX_ATTEMPTS),
    signInCodes.get(phoneNumber).then(record => ({ record }), (error: unknown) => ({ error })),
  ])
  if ('error' in stored) {
    // Nothing was compared, so the guess is given back: a storage outage must not use up the user's attempts.
    if (admission.admitted)
      await attempts.refundAttempt(admission.generation)
    throw stored.error
  }
  const { record } = stored
  if (!admission.admitted && admission.reason === 'attempts_exhausted')
    throw attemptsExceeded()
  const matches = admission.admitted
    && record?.generation === admission.generation
    && await signInCodeMatches(config.OTP_HMAC_SECRET, phoneNumber, code, record, Date.now())
  if (!matches) {
    if (admission.admitted && admission.attemptsLeft === 0)
      throw attemptsExceeded()
    const left = admission.admitted
      ? ` ${admission.attemptsLeft} attempt(s) left.`
      : ''
    throw new InvalidSignInCode(`The code is wrong or has expired. Check it, or request a new one.${left}`, {
      errors: [
        { path: 'sms_code', message: 'The code is wrong or has expired' },
      ],
      attemptsLeft: admission.admitted
        ? admission.attemptsLeft
        : undefined,
    })
  }
  if (!await attempts.useCode(admission.generation)) {
    throw new InvalidSignInCode('This code has already been used. Request a new one.', {
      errors: [
        { path: 'sms_code', message: 'The code has already been used' },
      ],
    })
  }

  // The used code's KV record is left to expire: the Durable Object already refuses it, so deleting it would only
  // cost the request a write.
  const refresh = await newRefreshToken()
  let signedIn: Awaited<ReturnType<typeof signInUser>>
  try {
    signedIn = await signInUser(db, phoneNumber, {
      refreshTokenHash: refresh.hash,
      expiresAt: refreshTokenExpiry(services),
    }, generateReferralCode)
  }
  catch (error) {
    await attempts.releaseCode(admission.generation)
    throw error
  }
  const { is_new, ...user } = signedIn
  return {
    ...await tokenPair(services, user.id, refresh.token),
    is_new_user: is_new,
    user,
  }
}

/** Only numbers that exist can sign in, and the configured test numbers, which are usually fictional ones. */
function requireDialable(services: Services, phoneNumber: E164): void {
  if (numberType(phoneNumber) === null && !services.config.TEST_PHONE_NUMBERS.has(phoneNumber)) {
    throw new ValidationFailed(`phone_number: ${PHONE_NUMBER_MESSAGE}`, {
      errors: [
        { path: 'phone_number', message: PHONE_NUMBER_MESSAGE },
      ],
    })
  }
}

function attemptsExceeded(): SignInCodeAttemptsExceeded {
  return new SignInCodeAttemptsExceeded('Too many wrong codes: this one no longer works. Request a new code.', {
    errors: [
      { path: 'sms_code', message: 'Too many wrong attempts; request a new code' },
    ],
  })
}
