import type { SmsSender } from './sms-sender'
import { SmsDeliveryFailed } from '../../lib/errors'

export interface TwilioOptions {
  apiBaseUrl: string
  accountSid: string
  authToken: string
  /** One of the two: a sending number, or a Messaging Service that picks one. */
  fromNumber?: string
  messagingServiceSid?: string
  timeoutMs: number
}

/** Twilio Programmable Messaging over its REST API: https://www.twilio.com/docs/messaging/api/message-resource#create-a-message-resource */
export function twilioSmsSender(options: TwilioOptions): SmsSender {
  const url = `${options.apiBaseUrl.replace(/\/+$/, '')}/2010-04-01/Accounts/${encodeURIComponent(options.accountSid)}/Messages.json`
  const authorization = `Basic ${btoa(`${options.accountSid}:${options.authToken}`)}`

  return {
    async send({ to, body }) {
      const form = new URLSearchParams({ To: to, Body: body })
      if (options.messagingServiceSid)
        form.set('MessagingServiceSid', options.messagingServiceSid)
      else
        form.set('From', options.fromNumber!)

      let response: Response
      try {
        response = await fetch(url, {
          method: 'POST',
          headers: { 'Authorization': authorization, 'Content-Type': 'application/x-www-form-urlencoded', 'Accept': 'application/json' },
          body: form,
          signal: AbortSignal.timeout(options.timeoutMs),
        })
      }
      catch (error) {
        throw new SmsDeliveryFailed('The SMS provider did not answer in time; please try again.', { cause: error })
      }
      if (!response.ok) {
        // Only Twilio's numeric error code goes to the log: its message text can quote the full phone number.
        const twilioCode = await response.json<{ code?: unknown }>().then(body => body.code, () => undefined)
        throw new SmsDeliveryFailed('The SMS provider refused the message; please try again.', {
          cause: new Error(`Twilio answered HTTP ${response.status}, error code ${String(twilioCode ?? 'none')}`),
        })
      }
      // Anything but a message resource leaves it unknown whether Twilio queued the text: the send counts as failed.
      const message = await response.json<{ sid?: unknown }>().catch(() => null)
      if (typeof message?.sid !== 'string') {
        throw new SmsDeliveryFailed('The SMS provider gave an answer that could not be read; please try again.', {
          cause: new Error(`Twilio answered HTTP ${response.status} without a message sid`),
        })
      }
    },
  }
}
