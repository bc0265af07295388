import type { E164 } from '../../domain/phone-number'
import type { Locale } from './locales'

/** Where a code can be delivered; `sms` is what a request without a channel gets. */
export const CHANNELS = ['sms', 'whatsapp', 'telegram'] as const
export type Channel = typeof CHANNELS[number]

/** A code to deliver to one number. */
export interface CodeMessage {
  to: E164
  code: string
  locale: Locale
  ttlSeconds: number
}

/** What a provider that makes and checks the code itself answers to a guess. */
export type ProviderVerdict = 'approved' | 'wrong' | 'expired' | 'exhausted'

/**
 * Delivers sign-in codes. Most senders carry our code; a provider that owns the code (Twilio Verify) makes it,
 * texts it and is the only one who can check it, so it is sent no code and is asked about each guess.
 */
export type CodeSender
  = | { ownsCode: false, send: (message: CodeMessage) => Promise<void> }
    | {
      ownsCode: true
      send: (message: Omit<CodeMessage, 'code'>) => Promise<void>
      check: (to: E164, code: string) => Promise<ProviderVerdict>
    }

/**
 * The provider refused this recipient for a reason the client can act on (another channel, another number, later),
 * as opposed to failing (SmsDeliveryFailed), which a retry may cure.
 */
export class RecipientRefused extends Error {
  override name = 'RecipientRefused'
  constructor(readonly reason: 'invalid_number' | 'fraud_blocked' | 'too_many_sends' | 'no_telegram_account', providerCode: string) {
    super(`The provider refused the recipient (${providerCode})`)
  }
}
