import type { WebhookEvent } from './db/webhook-events'
import { fetchApp } from './lazy-app'

export { RateLimiter } from './durable-objects/rate-limiter'
export { SignInAttempts } from './durable-objects/sign-in-attempts'

/** The hourly one of the crons in wrangler.toml `[triggers]`; the others only sweep. */
const HOURLY_CRON = '23 * * * *'

/** A Cron Trigger's run: the webhook sweep, and hourly housekeeping, with one log line as requests have. */
async function scheduledWork(controller: ScheduledController, env: Env): Promise<void> {
  const startedAt = Date.now()
  const line = { cron: controller.cron, duration_ms: 0 }
  try {
    const [{ getServices }, housekeeping, { sweepUndeliveredEvents }] = await backgroundModules()
    const services = getServices(env)
    const swept = await sweepUndeliveredEvents(services)
    const hourly = controller.cron === HOURLY_CRON
      ? {
          deleted_refresh_tokens: await housekeeping.deleteRetiredSessions(services),
          deleted_webhook_events: await housekeeping.deleteOldWebhookEvents(services),
          voided_referral_rewards: await housekeeping.voidExpiredReferralRewards(services),
          deleted_network_signals: await housekeeping.deleteStaleNetworkSignals(services),
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
async function consumeQueue(batch: MessageBatch<WebhookEvent>, env: Env): Promise<void> {
  const [{ getServices }, , { deliverEvents, recordDeadLetters }] = await backgroundModules()
  const services = getServices(env)
  return batch.queue.endsWith('-dlq')
    ? recordDeadLetters(services, batch)
    : deliverEvents(services, batch)
}

/**
 * Imported on first use, as the app is (./lazy-app): configuration, zod and the database client are not evaluated
 * with the bundle, which every new isolate pays.
 */
function backgroundModules() {
  return Promise.all([
    import('./services/container'),
    import('./services/housekeeping'),
    import('./services/webhooks'),
  ])
}

export default {
  fetch: fetchApp,
  scheduled: (controller, env, ctx) => ctx.waitUntil(scheduledWork(controller, env)),
  queue: consumeQueue,
} satisfies ExportedHandler<Env, WebhookEvent>
