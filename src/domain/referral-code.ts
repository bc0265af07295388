import { randomString } from './random'

/** No 0/O or 1/I, so a code copied from a screen is typed right; 32 symbols keep byte sampling unbiased. */
export const REFERRAL_CODE_ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ'
export const REFERRAL_CODE_LENGTH = 6
export const REFERRAL_CODE_PATTERN = /^[2-9A-HJ-NP-Z]{6}$/

export function generateReferralCode(): string {
  return randomString(REFERRAL_CODE_LENGTH, REFERRAL_CODE_ALPHABET)
}

/** Codes are case-insensitive for people typing them; stored upper-case. */
export function normalizeReferralCode(input: string): string {
  return input.trim().toUpperCase()
}
