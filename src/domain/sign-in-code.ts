import type { E164 } from './phone-number'
import { hmacSha256 } from './hmac'
import { randomDigits } from './random'

/** What a verification id looks like (random base64url); anything else names no code. */
export const VERIFICATION_ID_PATTERN = /^[\w-]{1,64}$/

export function generateSignInCode(length: number): string {
  return randomDigits(length)
}

/** Binding the phone number into the MAC means a hash stored for one number never matches another. */
export function hashSignInCode(secret: string, phoneNumber: E164, code: string): Promise<string> {
  return hmacSha256(secret, `sign-in-code:${phoneNumber}:${code}`)
}
