import type { Config } from '../config'
import type { Database } from '../db/client'
import type { SmsSender } from '../integrations/sms/sms-sender'
import type { HumanCheck } from '../integrations/turnstile/turnstile-verifier'
import { loadConfig } from '../config'
import { createDatabase } from '../db/client'
import { consoleSmsSender } from '../integrations/sms/console-sms-sender'
import { twilioSmsSender } from '../integrations/sms/twilio-sms-sender'
import { turnstileVerifier } from '../integrations/turnstile/turnstile-verifier'

/** Everything a request needs from the outside world, built once per isolate from the Worker's bindings. */
export interface Services {
  config: Config
  db: Database
  sms: SmsSender
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
      sms: createSmsSender(config),
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

function createSmsSender(config: Config): SmsSender {
  if (config.SMS_PROVIDER === 'console')
    return consoleSmsSender()
  return twilioSmsSender({
    apiBaseUrl: config.TWILIO_API_BASE_URL,
    accountSid: config.TWILIO_ACCOUNT_SID!,
    authToken: config.TWILIO_AUTH_TOKEN!,
    fromNumber: config.TWILIO_FROM_NUMBER,
    messagingServiceSid: config.TWILIO_MESSAGING_SERVICE_SID,
    timeoutMs: config.SMS_TIMEOUT_MS,
  })
}
