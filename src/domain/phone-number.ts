import { parsePhoneNumberFromString } from 'libphonenumber-js/max'

export const PHONE_NUMBER_MESSAGE = 'Enter a valid phone number in international format, e.g. +79123456789'

/**
 * E.164 form of anything shaped like a phone number ("+7 (912) 345-67-89" → "+79123456789"), or null. Whether the
 * number can exist is a separate question (`isDialable`): configured test numbers are usually fictional ones.
 */
export function normalizePhoneNumber(input: string): string | null {
  const parsed = parsePhoneNumberFromString(input)
  return parsed?.isPossible()
    ? parsed.number
    : null
}

/** The number is valid for its country's numbering plan: an SMS to it can be delivered. */
export function isDialable(e164: string): boolean {
  return parsePhoneNumberFromString(e164)?.isValid() ?? false
}

/** Keeps the country and operator prefix and the last two digits: "+79123456789" → "+7912*****89". */
export function maskPhoneNumber(e164: string): string {
  const visibleStart = 5
  const visibleEnd = 2
  if (e164.length <= visibleStart + visibleEnd)
    return `${e164.slice(0, 2)}${'*'.repeat(Math.max(e164.length - 2, 0))}`
  return e164.slice(0, visibleStart) + '*'.repeat(e164.length - visibleStart - visibleEnd) + e164.slice(-visibleEnd)
}

/** Where a valid E.164 number is: its ISO country (if one) and calling code ("+79123456789" → RU, "7"). */
export function phoneNumberRegion(e164: string): { country: string | undefined, callingCode: string } {
  const parsed = parsePhoneNumberFromString(e164)
  return { country: parsed?.country, callingCode: parsed?.countryCallingCode ?? '' }
}
