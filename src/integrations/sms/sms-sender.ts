export interface SmsMessage {
  /** E.164 phone number. */
  to: string
  body: string
}

export interface SmsSender {
  send: (message: SmsMessage) => Promise<void>
}
