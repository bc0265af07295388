import { parsePhoneNumberFromString } from 'libphonenumber-js/max'

/** E.164 form of a phone number ("+7 (912) 345-67-89" → "+79123456789"), or null if it is not a valid number. */
export function normalizePhoneNumber(input: string): string | null {
  const parsed = parsePhoneNumberFromString(input)
  return parsed?.isValid()
    ? parsed.number
    : null
}

/** Keeps the country and operator prefix and the last two digits: "+79123456789" → "+7912*****89". */
export function maskPhoneNumber(e164: string): string {
  const visibleStart = 5
  const visibleEnd = 2
  if (e164.length <= visibleStart + visibleEnd)
    return `${e164.slice(0, 2)}${'*'.repeat(Math.max(e164.length - 2, 0))}`
  return e164.slice(0, visibleStart) + '*'.repeat(e164.length - visibleStart - visibleEnd) + e164.slice(-visibleEnd)
}
