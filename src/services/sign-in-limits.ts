import type { E164 } from '../domain/phone-number'
import type { Services } from './container'
import { hmacSha256 } from '../domain/hmac'
import { RateLimited } from '../lib/errors'

const HOUR = 3_600
const DAY = 86_400

/** The strongly consistent counter of one phone number's sends and guesses. */
export async function attemptsFor(services: Services, phoneNumber: E164) {
  // Named by a keyed hash, so no phone number appears in object names or in the platform's listings.
  return services.attempts.getByName(await hmacSha256(services.config.OTP_HMAC_SECRET, `attempts:${phoneNumber}`))
}

export type ClientAction = 'send' | 'verify'

/** Per client address (the caller's `clientAddressKey`): send_sms and verify_sms requests an hour. */
export async function chargeClientQuota(services: Services, action: ClientAction, clientKey: string): Promise<void> {
  const limit = action === 'send'
    ? services.config.IP_SENDS_PER_HOUR
    : services.config.IP_VERIFIES_PER_HOUR
  const outcome = await services.rateLimiter.getByName(`${action}:${clientKey}`).hit(limit, HOUR)
  if (!outcome.allowed) {
    throw new RateLimited(`Too many ${action === 'send'
      ? 'code requests'
      : 'sign-in attempts'} from your network. Try again in ${outcome.retryAfterSeconds} s.`, outcome.retryAfterSeconds)
  }
}

const countryKey = (callingCode: string) => `sms-country:+${callingCode}`

/** A ceiling on SMS per country calling code per UTC day: a pumping burst to premium numbers stops there. */
export async function chargeCountryCap(services: Services, callingCode: string): Promise<void> {
  const outcome = await services.rateLimiter.getByName(countryKey(callingCode)).hit(services.config.SMS_DAILY_CAP_PER_COUNTRY, DAY)
  if (!outcome.allowed)
    throw new RateLimited(`Sign-in codes to +${callingCode} numbers are paused for today. Try again in ${outcome.retryAfterSeconds} s.`, outcome.retryAfterSeconds)
}

export async function refundCountryCap(services: Services, callingCode: string): Promise<void> {
  await services.rateLimiter.getByName(countryKey(callingCode)).refund(DAY)
}
