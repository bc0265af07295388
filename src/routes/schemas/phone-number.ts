import { z } from '@hono/zod-openapi'
import { parseE164, PHONE_NUMBER_MESSAGE } from '../../domain/phone-number'

/**
 * Accepts any common formatting and yields E.164, so "+7 (912) 345-67-89" and "+79123456789" are one account.
 * Numbers that cannot exist are refused by the sign-in service, which knows the configured test numbers.
 */
export const PhoneNumberSchema = z.string().max(32, PHONE_NUMBER_MESSAGE).transform((value, ctx) => {
  const e164 = parseE164(value)
  if (!e164) {
    ctx.addIssue({ code: 'custom', message: PHONE_NUMBER_MESSAGE })
    return z.NEVER
  }
  return e164
}).openapi({ description: 'Phone number in international format; spaces, dashes and brackets are ignored.', example: '+79123456789' })
