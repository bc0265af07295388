import type { E164 } from './phone-number'
import { hmacSha256 } from './hmac'
import { randomDigits } from './random'
import { timingSafeEqual } from './timing-safe-equal'

/** What is kept for a sent code: never the code itself, only its keyed hash. */
export interface SignInCodeRecord {
  hash: string
  /** Epoch milliseconds. KV's TTL cannot go below 60 s, so expiry is also checked against this. */
  expiresAt: number
  /** Which send this is: a guess counts against that send's attempts, and a stale KV read never matches. */
  generation: string
}

export function generateSignInCode(length: number): string {
  return randomDigits(length)
}

/** Binding the phone number into the MAC means a hash stored for one number never matches another. */
export function hashSignInCode(secret: string, phoneNumber: E164, code: string): Promise<string> {
  return hmacSha256(secret, `sign-in-code:${phoneNumber}:${code}`)
}

export async function signInCodeMatches(secret: string, phoneNumber: E164, code: string, record: SignInCodeRecord, now: number): Promise<boolean> {
  if (record.expiresAt <= now)
    return false
  return timingSafeEqual(await hashSignInCode(secret, phoneNumber, code), record.hash)
}
