import type { UserRow } from '../db/user-row'
import type { Services } from './container'
import type { TokenPair } from './tokens'
import { signInUser } from '../db/sign-in'
import { generateReferralCode } from '../domain/referral-code'
import { newRefreshToken } from '../domain/refresh-token'
import { generateSignInCode, hashSignInCode, signInCodeMatches } from '../domain/sign-in-code'
import { InvalidSignInCode } from '../lib/errors'
import { refreshTokenExpiry, tokenPair } from './tokens'

/**
 * Stores a fresh code (replacing any earlier one) and texts it. The code is stored before it is sent, so a code
 * that reached a phone can always be verified; if sending fails, it is removed again and the client may retry.
 */
export async function sendSignInCode(services: Services, phoneNumber: string): Promise<{ expiresIn: number }> {
  const { config, signInCodes, sms } = services
  const code = generateSignInCode(config.OTP_LENGTH)
  const expiresAt = Date.now() + config.OTP_TTL_SECONDS * 1000
  await signInCodes.put(phoneNumber, { hash: await hashSignInCode(config.OTP_HMAC_SECRET, phoneNumber, code), expiresAt })
  const minutes = Math.max(1, Math.round(config.OTP_TTL_SECONDS / 60))
  try {
    await sms.send({ to: phoneNumber, body: `${code} is your ${config.SMS_APP_NAME} sign-in code. It expires in ${minutes} min.` })
  }
  catch (error) {
    await signInCodes.remove(phoneNumber)
    throw error
  }
  return { expiresIn: config.OTP_TTL_SECONDS }
}

export interface SignInResult extends TokenPair {
  is_new_user: boolean
  user: UserRow
}

/** Checks the code, consumes it, and signs the user in, registering them on their first sign-in. */
export async function verifySignInCode(services: Services, phoneNumber: string, code: string): Promise<SignInResult> {
  const { config, signInCodes, db } = services
  const record = await signInCodes.get(phoneNumber)
  if (!record || !await signInCodeMatches(config.OTP_HMAC_SECRET, phoneNumber, code, record, Date.now()))
    throw new InvalidSignInCode('The code is wrong or has expired. Check it, or request a new one.')
  // Consumed before the session exists: a code never signs anyone in twice.
  await signInCodes.remove(phoneNumber)

  const refresh = await newRefreshToken()
  const { is_new, ...user } = await signInUser(db, phoneNumber, {
    refreshTokenHash: refresh.hash,
    expiresAt: refreshTokenExpiry(services),
  }, generateReferralCode)
  return {
    ...await tokenPair(services, user.id, refresh.token),
    is_new_user: is_new,
    user,
  }
}
