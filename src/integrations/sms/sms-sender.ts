import type { E164 } from '../../domain/phone-number'

export interface SmsMessage {
  /** E.164 phone number. */
  to: E164
  body: string
}

export interface SmsSender {
  send: (message: SmsMessage) => Promise<void>
}
