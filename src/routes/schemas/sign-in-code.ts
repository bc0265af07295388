import { z } from '@hono/zod-openapi'
import { VERIFICATION_ID_PATTERN } from '../../domain/sign-in-code'

export const SmsCodeSchema = z.string().regex(/^\d{4,8}$/, 'The code is 4 to 8 digits').openapi({ example: '123456' })

export const VerificationIdSchema = z.string().regex(VERIFICATION_ID_PATTERN, 'Send the verification_id exactly as send_sms gave it').openapi({ example: 'q3Jk0V9xT2mYb8LzR4nHcw' })

/** What sending a code answers, for signing in and for moving to a new number alike. */
export const SendSmsResponseSchema = z.object({
  detail: z.string().openapi({ example: 'A sign-in code has been sent by SMS.' }),
  phone_number: z.string().openapi({ description: 'The number as it was understood (E.164); send it back to verify_sms.', example: '+79123456789' }),
  expires_in: z.number().int().openapi({ description: 'Seconds the code stays valid.', example: 300 }),
  verification_id: VerificationIdSchema.openapi({ description: 'Names this code: send it back to verify_sms, so that guesses by anyone else can never use up your attempts.' }),
}).openapi('SendSmsResponse')
