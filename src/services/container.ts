import type { Config } from '../config'
import type { Database } from '../db/client'
import type { Channel, CodeSender } from '../integrations/sms/code-sender'
import type { HumanCheck } from '../integrations/turnstile/turnstile-verifier'
import { loadConfig } from '../config'
import { createDatabase } from '../db/client'
import { channelSenders } from '../integrations/sms/channel-senders'
import { turnstileVerifier } from '../integrations/turnstile/turnstile-verifier'

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
    }
    built.set(env, services)
  }
  return services
}
