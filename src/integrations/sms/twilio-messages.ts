import type { E164 } from '../../domain/phone-number'
import { basicAuthorization, deliveryFailed, jsonBody, postToProvider, twilioApiUrl } from './provider-request'

export interface TwilioMessagesOptions {
  apiBaseUrl: string
  accountSid: string
  authToken: string
  /** One of the two: a sending number, or a Messaging Service that picks one. */
  fromNumber?: string
  messagingServiceSid?: string
  /** WhatsApp: both numbers as `whatsapp:+…`, from the WhatsApp sender `fromNumber`. */
  whatsapp?: boolean
  timeoutMs: number
}

/** Twilio Programmable Messaging over its REST API: https://www.twilio.com/docs/messaging/api/message-resource#create-a-message-resource */
export function twilioMessages(options: TwilioMessagesOptions): (to: E164, body: string) => Promise<void> {
  const url = twilioApiUrl(options.apiBaseUrl, `/2010-04-01/Accounts/${encodeURIComponent(options.accountSid)}/Messages.json`)
  const authorization = basicAuthorization(options.accountSid, options.authToken)
  const address = (number: string) => options.whatsapp
    ? `whatsapp:${number}`
    : number

  return async (to, body) => {
    const form = new URLSearchParams({
      To: address(to),
      Body: body,
    })
    if (options.messagingServiceSid && !options.whatsapp)
      form.set('MessagingServiceSid', options.messagingServiceSid)
    else
      form.set('From', address(options.fromNumber!))

    const response = await postToProvider({
      url,
      headers: { 'Authorization': authorization, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: form,
      timeoutMs: options.timeoutMs,
    }, deliveryFailed)
    const message = await jsonBody<{ sid: string, code: number }>(response)
    if (!response.ok) {
      // Only Twilio's numeric error code goes to the log: its message text can quote the full phone number.
      throw deliveryFailed('refused the message', new Error(`Twilio answered HTTP ${response.status}, error code ${String(message?.code ?? 'none')}`))
    }
    // Anything but a message resource leaves it unknown whether Twilio queued the text: the send counts as failed.
    if (typeof message?.sid !== 'string')
      throw deliveryFailed('gave an answer that could not be read', new Error(`Twilio answered HTTP ${response.status} without a message sid`))
  }
}
