import { z } from '@hono/zod-openapi'
import { VERIFICATION_ID_PATTERN } from '../../domain/sign-in-code'

export const SmsCodeSchema = z.string().regex(/^\d{4,8}$/, 'The code is 4 to 8 digits').openapi({ example: '123456' })

export const VerificationIdSchema = z.string().regex(VERIFICATION_ID_PATTERN, 'Send the verification_id exactly as send_sms gave it').openapi({ example: 'q3Jk0V9xT2mYb8LzR4nHcw' })
