import type { WebhookEvent } from '../db/webhook-events'
import type { Services } from './container'
import { claimUndelivered, markDeadLettered, markDelivered } from '../db/webhook-events'
import { currentRequestContext } from '../lib/request-context'

/**
 * Events not delivered this long after their last send are sent again by the sweep: past the queue's own retries
 * at the default back-off (30 s doubling, 5 retries: about 16 minutes), so the sweep rarely duplicates one in flight.
 */
const SWEEP_AFTER_SECONDS = 30 * 60
/** A sweep claims this many events a statement (a queue batch takes at most 100), and at most this many times. */
const SWEEP_BATCH_SIZE = 100
const SWEEP_MAX_BATCHES = 10
/** Retry delays double from WEBHOOK_RETRY_BASE_SECONDS up to this (Cloudflare Queues allow 12 hours). */
const MAX_RETRY_DELAY_SECONDS = 12 * 60 * 60

/** Whether changes record their events: only where a receiver is configured, so no one else pays for the outbox. */
export function webhooksOn(services: Services): boolean {
  return services.webhooks !== undefined
}

/** Sends recorded events to the queue; nothing to send where webhooks are off. */
export async function enqueueEvents(services: Services, events: WebhookEvent[]): Promise<void> {
  if (services.webhooks && events.length > 0)
    await services.webhooks.queue.sendBatch(events.map(body => ({ body, contentType: 'json' })))
}

/**
 * Hands events a committed statement recorded to the queue, after the answer (never a hop the client waits for).
 * A failed send loses nothing: the events are in the outbox, and the sweep sends them later.
 */
export function publishEvents(services: Services, events: WebhookEvent[]): void {
  const request = currentRequestContext()
  if (!services.webhooks || events.length === 0 || !request)
    return
  request.waitUntil(enqueueEvents(services, events).catch((error: unknown) => {
    console.warn(JSON.stringify({
      level: 'warn',
      request_id: request.requestId,
      webhook_enqueue_failed: events.length,
      error: String(error),
    }))
  }))
}

/**
 * The queue consumer: POSTs each event, marks the delivered ones in one statement, then acknowledges them; the others
 * are retried with exponential back-off, and after the queue's max_retries go to its dead-letter queue. Should the
 * marking fail, the whole batch is retried: a receiver may see an event twice (it de-duplicates by webhook-id), but
 * an event is never acknowledged without being marked.
 */
export async function deliverEvents(services: Services, batch: MessageBatch<WebhookEvent>): Promise<void> {
  const { webhooks, config } = services
  // Webhooks were turned off with events still queued: they stay in the outbox, for the sweep once turned on again.
  if (!webhooks)
    return batch.ackAll()
  const outcomes = await Promise.all(batch.messages.map(message => webhooks.send(message.body)))
  const delivered = batch.messages.filter((_, i) => outcomes[i]!.delivered)
  if (delivered.length > 0)
    await markDelivered(services.db, delivered.map(message => message.body.id))
  const failures: Record<string, unknown>[] = []
  batch.messages.forEach((message, i) => {
    const outcome = outcomes[i]!
    if (outcome.delivered)
      return message.ack()
    const delaySeconds = Math.min(config.WEBHOOK_RETRY_BASE_SECONDS * 2 ** (message.attempts - 1), MAX_RETRY_DELAY_SECONDS)
    message.retry({ delaySeconds })
    failures.push({
      id: message.body.id,
      attempt: message.attempts,
      ...outcome,
      retry_in_seconds: delaySeconds,
    })
  })
  const line = {
    level: failures.length > 0
      ? 'warn'
      : 'info',
    queue: batch.queue,
    delivered: delivered.length,
    failed: failures,
  }
  if (failures.length > 0)
    console.warn(JSON.stringify(line))
  else
    // eslint-disable-next-line no-console -- Workers Logs collects stdout; one line per batch, as per request
    console.log(JSON.stringify(line))
}

/** The dead-letter queue's consumer: the events stay recorded, marked, for an operator; the sweep leaves them. */
export async function recordDeadLetters(services: Services, batch: MessageBatch<WebhookEvent>): Promise<void> {
  await markDeadLettered(services.db, batch.messages.map(message => message.body.id))
  console.error(JSON.stringify({
    level: 'error',
    queue: batch.queue,
    dead_lettered: batch.messages.map(message => ({ id: message.body.id, type: message.body.type })),
  }))
}

/**
 * The Cron sweep: events still undelivered long after their send (the send after the commit failed, or the
 * Worker stopped before it ran) are enqueued again. Returns how many.
 */
export async function sweepUndeliveredEvents(services: Services): Promise<number> {
  if (!services.webhooks)
    return 0
  let total = 0
  for (let batch = 0; batch < SWEEP_MAX_BATCHES; batch++) {
    const events = await claimUndelivered(services.db, SWEEP_AFTER_SECONDS, SWEEP_BATCH_SIZE)
    if (events.length > 0)
      await enqueueEvents(services, events)
    total += events.length
    if (events.length < SWEEP_BATCH_SIZE)
      break
  }
  return total
}
