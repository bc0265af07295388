import type { Config } from '../../config'
import type { E164 } from '../../domain/phone-number'
import type { Channel, CodeSender } from './code-sender'
import type { TextSettings } from './sign-in-text'
import { consoleSmsSender } from './console-sms-sender'
import { signInText, textSettings } from './sign-in-text'
import { telegramGateway } from './telegram-gateway'
import { twilioMessages } from './twilio-messages'
import { twilioVerify } from './twilio-verify'

/** Our own code, in a text written in the message's language. */
function textSender(deliver: (to: E164, body: string) => Promise<void>, settings: TextSettings): CodeSender {
  return {
    ownsCode: false,
    send: ({ to, code, locale }) => deliver(to, signInText(code, locale, settings)),
  }
}

/**
 * Who delivers a channel's codes: `telegram` is Telegram Gateway; `sms` is SMS_PROVIDER's; `whatsapp` is Twilio
 * Verify's WhatsApp channel under twilio_verify, otherwise Twilio Messages from TWILIO_WHATSAPP_FROM. In development
 * (console) every channel is the log.
 */
function senderFor(config: Config, channel: Channel): CodeSender {
  const timeoutMs = config.SMS_TIMEOUT_MS
  if (config.SMS_PROVIDER === 'console')
    return textSender(consoleSmsSender(channel), textSettings(config, channel))
  if (channel === 'telegram' || (channel === 'sms' && config.SMS_PROVIDER === 'telegram_gateway')) {
    const deliver = telegramGateway({ apiBaseUrl: config.TELEGRAM_GATEWAY_API_BASE_URL, token: config.TELEGRAM_GATEWAY_TOKEN!, timeoutMs })
    return {
      ownsCode: false,
      send: ({ to, code, ttlSeconds }) => deliver(to, code, ttlSeconds),
    }
  }
  const twilio = { accountSid: config.TWILIO_ACCOUNT_SID!, authToken: config.TWILIO_AUTH_TOKEN!, timeoutMs }
  if (config.SMS_PROVIDER === 'twilio_verify') {
    return twilioVerify({
      ...twilio,
      apiBaseUrl: config.TWILIO_VERIFY_API_BASE_URL,
      serviceSid: config.TWILIO_VERIFY_SERVICE_SID!,
      channel,
      androidAppHash: config.SMS_ANDROID_APP_HASH,
    })
  }
  const deliver = channel === 'whatsapp'
    ? twilioMessages({
        ...twilio,
        apiBaseUrl: config.TWILIO_API_BASE_URL,
        fromNumber: config.TWILIO_WHATSAPP_FROM,
        whatsapp: true,
      })
    : twilioMessages({
        ...twilio,
        apiBaseUrl: config.TWILIO_API_BASE_URL,
        fromNumber: config.TWILIO_FROM_NUMBER,
        messagingServiceSid: config.TWILIO_MESSAGING_SERVICE_SID,
      })
  return textSender(deliver, textSettings(config, channel))
}

/** The senders of the channels this deployment offers (SMS_CHANNELS); others are refused by name. */
export function channelSenders(config: Config): Partial<Record<Channel, CodeSender>> {
  return Object.fromEntries(config.SMS_CHANNELS.map(channel => [
    channel,
    senderFor(config, channel),
  ]))
}
