import type { WebhookEvent } from '../../db/webhook-events'
import { signWebhook } from '../../domain/webhook-signature'

export interface WebhookSenderOptions {
  url: string
  /** `whsec_…`, shared with the receiver. */
  secret: string
  timeoutMs: number
}

/** What became of one delivery: the receiver's status, or why there was none. */
export type DeliveryOutcome = { delivered: true } | { delivered: false, status?: number, error?: string }

export type WebhookSender = (event: WebhookEvent) => Promise<DeliveryOutcome>

/**
 * POSTs events as Standard Webhooks messages: body `{type, timestamp, data}`, signed with the attempt's time, so a
 * receiver can refuse old replays. Any 2xx is a delivery; anything else, or no answer in time, is a failure to retry.
 */
export function webhookSender({ url, secret, timeoutMs }: WebhookSenderOptions): WebhookSender {
  return async (event) => {
    const body = JSON.stringify({
      type: event.type,
      timestamp: new Date(event.created_at).toISOString(),
      data: event.data,
    })
    const timestamp = Math.floor(Date.now() / 1000)
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          'webhook-id': event.id,
          'webhook-timestamp': String(timestamp),
          'webhook-signature': await signWebhook(secret, event.id, timestamp, body),
        },
        body,
        signal: AbortSignal.timeout(timeoutMs),
      })
      // Not read: what the receiver says is not ours to log, and only its status matters.
      await response.body?.cancel()
      return response.ok
        ? { delivered: true }
        : { delivered: false, status: response.status }
    }
    catch (error) {
      return {
        delivered: false,
        error: error instanceof Error
          ? error.name
          : String(error),
      }
    }
  }
}
