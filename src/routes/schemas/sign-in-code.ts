import { z } from '@hono/zod-openapi'
import { VERIFICATION_ID_PATTERN } from '../../domain/sign-in-code'
import { CHANNELS } from '../../integrations/sms/code-sender'
import { LOCALES } from '../../integrations/sms/locales'

export const SmsCodeSchema = z.string().regex(/^\d{4,8}$/, 'The code is 4 to 8 digits').openapi({ example: '123456' })

export const VerificationIdSchema = z.string().regex(VERIFICATION_ID_PATTERN, 'Send the verification_id exactly as send_sms gave it').openapi({ example: 'q3Jk0V9xT2mYb8LzR4nHcw' })

/** What sending a code answers, for signing in and for moving to a new number alike. */
export const SendSmsResponseSchema = z.object({
  detail: z.string().openapi({ example: 'A sign-in code has been sent by SMS.' }),
  phone_number: z.string().openapi({ description: 'The number as it was understood (E.164); send it back to verify_sms.', example: '+79123456789' }),
  expires_in: z.number().int().openapi({ description: 'Seconds the code stays valid.', example: 300 }),
  verification_id: VerificationIdSchema.openapi({ description: 'Names this code: send it back to verify_sms, so that guesses by anyone else can never use up your attempts.' }),
}).openapi('SendSmsResponse')

/** Any name is accepted here, so an unknown or disabled channel is refused by name (422), not as malformed input. */
export const ChannelSchema = z.string().min(1).max(32).optional().openapi({
  description: `How the code travels: one of ${CHANNELS.map(channel => `\`${channel}\``).join(', ')} that the deployment offers (SMS_CHANNELS; \`channel_not_available\` otherwise). Without it, SMS.`,
  example: 'sms',
})

/** A language tag; one we do not write in falls back to Accept-Language, then the deployment's default. */
export const LocaleSchema = z.string().regex(/^[a-z]{2,3}(?:-[\da-z]{1,8})*$/i, 'Use a language tag such as ru or en-GB').max(35).optional().openapi({
  description: `The language of the text (${LOCALES.join(', ')}); else \`Accept-Language\`, else the deployment's default.`,
  example: 'ru',
})
