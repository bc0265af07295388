import type { Config } from '../config'
import type { Database } from '../db/client'
import type { WebhookEvent } from '../db/webhook-events'
import type { Channel, CodeSender } from '../integrations/sms/code-sender'
import type { HumanCheck } from '../integrations/turnstile/turnstile-verifier'
import type { WebhookSender } from '../integrations/webhooks/webhook-sender'
import { loadConfig } from '../config'
import { createDatabase } from '../db/client'
import { channelSenders } from '../integrations/sms/channel-senders'
import { turnstileVerifier } from '../integrations/turnstile/turnstile-verifier'
import { webhookSender } from '../integrations/webhooks/webhook-sender'

/** Everything a request needs from the outside world, built once per isolate from the Worker's bindings. */
export interface Services {
  config: Config
  db: Database
  /** Who delivers codes, per channel this deployment offers. */
  senders: Partial<Record<Channel, CodeSender>>
  /** Cloudflare Turnstile's check, where the deployment turns it on. */
  humanCheck?: HumanCheck
  attempts: Env['SIGN_IN_ATTEMPTS']
  rateLimiter: Env['RATE_LIMITER']
  /** Where WEBHOOK_URL is set: the queue events go through, and the signed POST that delivers them. */
  webhooks?: {
    queue: Queue<WebhookEvent>
    send: WebhookSender
  }
}

const built = new WeakMap<Env, Services>()

export function getServices(env: Env): Services {
  let services = built.get(env)
  if (!services) {
    const config = loadConfig(env)
    services = {
      config,
      db: createDatabase(config),
      senders: channelSenders(config),
      humanCheck: config.TURNSTILE_SECRET_KEY
        ? turnstileVerifier({ apiBaseUrl: config.TURNSTILE_API_BASE_URL, secretKey: config.TURNSTILE_SECRET_KEY, timeoutMs: config.SMS_TIMEOUT_MS })
        : undefined,
      attempts: env.SIGN_IN_ATTEMPTS,
      rateLimiter: env.RATE_LIMITER,
      webhooks: config.WEBHOOK_URL
        ? {
            queue: env.WEBHOOK_QUEUE as Queue<WebhookEvent>,
            send: webhookSender({ url: config.WEBHOOK_URL, secret: config.WEBHOOK_SECRET!, timeoutMs: config.WEBHOOK_TIMEOUT_MS }),
          }
        : undefined,
    }
    built.set(env, services)
  }
  return services
}
