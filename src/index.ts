import { fetchApp } from './lazy-app'

export { RateLimiter } from './durable-objects/rate-limiter'
export { SignInAttempts } from './durable-objects/sign-in-attempts'

/** The Cron Trigger's run (wrangler.toml `[triggers]`): housekeeping, with one log line as requests have. */
async function housekeeping(controller: ScheduledController, env: Env): Promise<void> {
  const startedAt = Date.now()
  const line = { cron: controller.cron, duration_ms: 0 }
  try {
    // Imported here, as the app is (./lazy-app): configuration, zod and the database client are not evaluated with the bundle.
    const [{ getServices }, { deleteRetiredSessions }] = await Promise.all([import('./services/container'), import('./services/housekeeping')])
    const deleted = await deleteRetiredSessions(getServices(env))
    // eslint-disable-next-line no-console -- Workers Logs collects stdout; one line per run, as for requests
    console.log(JSON.stringify({
      level: 'info',
      ...line,
      duration_ms: Date.now() - startedAt,
      deleted_refresh_tokens: deleted,
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

export default {
  fetch: fetchApp,
  scheduled: (controller, env, ctx) => ctx.waitUntil(housekeeping(controller, env)),
} satisfies ExportedHandler<Env>
