import type { NumberType, PhoneNumber } from 'libphonenumber-js/max'
import { parsePhoneNumberFromString } from 'libphonenumber-js/max'

export const PHONE_NUMBER_MESSAGE = 'Enter a valid phone number in international format, e.g. +79123456789'

declare const e164Brand: unique symbol

/**
 * A phone number in its one canonical E.164 spelling, made only by `parseE164`. Everything keyed by a number (its
 * limits, its Durable Object, its row, the SMS recipient) takes this type, so no raw spelling can reach them.
 */
export type E164 = string & { readonly [e164Brand]: true }

/**
 * The canonical E.164 form of anything shaped like a phone number ("+7 (912) 345-67-89", "tel:+79123456789" →
 * "+79123456789"), or null. Whether the number can receive a text is a separate question (`textableNumberType`):
 * configured test numbers are usually fictional ones.
 */
export function parseE164(input: string): E164 | null {
  const parsed = parsePhoneNumberFromString(input.trim())
  if (!parsed)
    return null
  const canonical = canonicalMobileForm(parsed) ?? parsed
  return canonical.isPossible()
    ? canonical.number as E164
    : null
}

/**
 * Some countries write one mobile two ways internationally. Argentina's mobiles take a 9 after +54 ("+54 9 11 …"),
 * but "+54 11 …" reaches the same subscriber; Mexico dropped the 1 after +52 in 2019, and "+52 1 55 …" still
 * circulates. Both spellings must be one account and one set of limits.
 */
function canonicalMobileForm(parsed: PhoneNumber): PhoneNumber | undefined {
  const national = parsed.nationalNumber
  if (parsed.countryCallingCode === '54' && !national.startsWith('9')) {
    const mobile = parsePhoneNumberFromString(`+549${national}`)
    return mobile?.getType() === 'MOBILE'
      ? mobile
      : undefined
  }
  if (parsed.countryCallingCode === '52' && national.length === 11 && national.startsWith('1'))
    return parsePhoneNumberFromString(`+52${national.slice(1)}`)
  return undefined
}

/** Number types that can receive an SMS unless configured otherwise. */
export const TEXTABLE_NUMBER_TYPES = ['MOBILE', 'FIXED_LINE_OR_MOBILE'] as const

/**
 * The number's type by its country's numbering plan; UNKNOWN where the plan cannot tell (e.g. the international
 * networks +881/+882/+883), null where it says the number cannot exist. Premium-rate, shared-cost, satellite or
 * VoIP ranges are valid numbers of the wrong type for a sign-in code.
 */
export function numberType(e164: E164): NonNullable<NumberType> | 'UNKNOWN' | null {
  const parsed = parsePhoneNumberFromString(e164)
  return parsed?.isValid()
    ? parsed.getType() ?? 'UNKNOWN'
    : null
}

/**
 * The block a number belongs to: all but its last four digits ("+79123456789" → "+7912345"). Operators allocate and
 * sell numbers in such blocks, so a pumping attack with bought numbers concentrates in a few of them.
 */
export function numberRange(e164: E164): string {
  return e164.slice(0, -4)
}

/** Keeps the country and operator prefix and the last two digits: "+79123456789" → "+7912*****89". */
export function maskPhoneNumber(e164: E164): string {
  const visibleStart = 5
  const visibleEnd = 2
  if (e164.length <= visibleStart + visibleEnd)
    return `${e164.slice(0, 2)}${'*'.repeat(Math.max(e164.length - 2, 0))}`
  return e164.slice(0, visibleStart) + '*'.repeat(e164.length - visibleStart - visibleEnd) + e164.slice(-visibleEnd)
}

/** Where a number is: its ISO country (if one) and calling code ("+79123456789" → RU, "7"). */
export function phoneNumberRegion(e164: E164): { country: string | undefined, callingCode: string } {
  const parsed = parsePhoneNumberFromString(e164)
  return { country: parsed?.country, callingCode: parsed?.countryCallingCode ?? '' }
}
