import type { E164 } from '../../domain/phone-number'
import { RecipientRefused } from './code-sender'
import { deliveryFailed, jsonBody, postToProvider } from './provider-request'

export interface TelegramGatewayOptions {
  apiBaseUrl: string
  token: string
  timeoutMs: number
}

/** What the Gateway answers for a number it cannot reach: no Telegram account on it, or not one it can message. */
const NO_ACCOUNT = new Set(['PHONE_NUMBER_NOT_AVAILABLE', 'PHONE_NUMBER_INVALID'])

/**
 * Telegram Gateway (https://core.telegram.org/gateway/api): delivers our own code (its `code` parameter) in Telegram
 * to the account registered on the number, so the code is checked by the number's Durable Object exactly as an
 * SMS's is. Its `ttl` makes the Gateway refund a message not delivered in time.
 */
export function telegramGateway(options: TelegramGatewayOptions): (to: E164, code: string, ttlSeconds: number) => Promise<void> {
  const url = `${options.apiBaseUrl.replace(/\/+$/, '')}/sendVerificationMessage`
  return async (to, code, ttlSeconds) => {
    const response = await postToProvider({
      url,
      headers: { 'Authorization': `Bearer ${options.token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ phone_number: to, code, ttl: ttlSeconds }),
      timeoutMs: options.timeoutMs,
    }, deliveryFailed)
    const answer = await jsonBody<{ ok: boolean, error: string, result: { request_id: string } }>(response)
    // Its error names (e.g. PHONE_NUMBER_NOT_AVAILABLE) are codes, not text: safe to log.
    const error = typeof answer?.error === 'string'
      ? answer.error.slice(0, 64)
      : 'none'
    if (answer?.ok === false && NO_ACCOUNT.has(error))
      throw new RecipientRefused('no_telegram_account', `Telegram Gateway ${error}`)
    if (!response.ok || answer?.ok !== true)
      throw deliveryFailed('refused the message', new Error(`Telegram Gateway answered HTTP ${response.status}, error ${error}`))
    if (typeof answer.result?.request_id !== 'string')
      throw deliveryFailed('gave an answer that could not be read', new Error(`Telegram Gateway answered HTTP ${response.status} without a request_id`))
  }
}
