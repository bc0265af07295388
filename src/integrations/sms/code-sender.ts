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

/** A provider that makes the code, texts it and is the only one who can check it (Twilio Verify). */
export interface CodeOwner {
  ownsCode: true
  /** How many checks the provider allows a code, for every guesser together. */
  maxChecks: number
  /** Answers the provider's reference to the code it sent. */
  send: (message: Omit<CodeMessage, 'code'>) => Promise<string>
  check: (to: E164, code: string) => Promise<ProviderVerdict>
  /** Ends a code no one may use any more, so the next send makes a new one rather than resending it. */
  cancel: (reference: string) => Promise<void>
}

/** Delivers sign-in codes: most senders carry our code; a code owner is sent none and asked about each guess. */
export type CodeSender = { ownsCode: false, send: (message: CodeMessage) => Promise<void> } | CodeOwner

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
