import type { E164 } from '../domain/phone-number'
import type { Services } from './container'
import { hmacSha256 } from '../domain/hmac'

/**
 * A number's key in rewarded_numbers: keyed with the service's secret, so the table names no number and a leaked
 * copy cannot be checked against a list of numbers. (The sign-in attempts Durable Object is named the same way,
 * under another prefix.)
 */
export function rewardKeyOf(services: Services, phoneNumber: E164): Promise<string> {
  return hmacSha256(services.config.OTP_HMAC_SECRET, `rewarded:${phoneNumber}`)
}
