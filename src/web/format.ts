import type { E164 } from '../domain/phone-number'
import { parsePhoneNumberFromString } from 'libphonenumber-js/max'

/** "+79123456789" → "+7 912 345 67 89", for reading; anything unparsable is shown as it is. */
export function formatPhoneNumber(e164: E164): string {
  return parsePhoneNumberFromString(e164)?.formatInternational() ?? e164
}
