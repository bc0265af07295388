import type { WebhookEvent } from './db/webhook-events'
import app from './app'
import { getServices } from './services/container'
import { deleteOldWebhookEvents, deleteRetiredSessions, deleteStaleNetworkSignals, voidExpiredReferralRewards } from './services/housekeeping'
import { deliverEvents, recordDeadLetters, sweepUndeliveredEvents } from './services/webhooks'

export { RateLimiter } from './durable-objects/rate-limiter'
export { SignInAttempts } from './durable-objects/sign-in-attempts'

/** The hourly one of the crons in wrangler.toml `[triggers]`; the others only sweep. */
const HOURLY_CRON = '23 * * * *'

/** A Cron Trigger's run: the webhook sweep, and hourly housekeeping, with one log line as requests have. */
async function scheduledWork(controller: ScheduledController, env: Env): Promise<void> {
  const startedAt = Date.now()
  const line = { cron: controller.cron, duration_ms: 0 }
  try {
    const services = getServices(env)
    const swept = await sweepUndeliveredEvents(services)
    const hourly = controller.cron === HOURLY_CRON
      ? {
          deleted_refresh_tokens: await deleteRetiredSessions(services),
          deleted_webhook_events: await deleteOldWebhookEvents(services),
          voided_referral_rewards: await voidExpiredReferralRewards(services),
          deleted_network_signals: await deleteStaleNetworkSignals(services),
        }
      : {}
    // eslint-disable-next-line no-console -- Workers Logs collects stdout; one line per run, as for requests
    console.log(JSON.stringify({
      level: 'info',
      ...line,
      duration_ms: Date.now() - startedAt,
      swept_webhook_events: swept,
      ...hourly,
    }))
  }
  catch (error) {
    // Logged, then thrown again so the platform records the run as failed; the next run carries on.
    console.error(JSON.stringify({
      level: 'error',
      ...line,
      duration_ms: Date.now() - startedAt,
      error: String(error),
    }))
    throw error
  }
}

/** The webhook queue's consumer, and its dead-letter queue's (wrangler.toml `[[queues.consumers]]`). */
function consumeQueue(batch: MessageBatch<WebhookEvent>, env: Env): Promise<void> {
  const services = getServices(env)
  return batch.queue.endsWith('-dlq')
    ? recordDeadLetters(services, batch)
    : deliverEvents(services, batch)
}

export default {
  fetch: app.fetch,
  scheduled: (controller, env, ctx) => ctx.waitUntil(scheduledWork(controller, env)),
  queue: consumeQueue,
} satisfies ExportedHandler<Env, WebhookEvent>
