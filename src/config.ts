import { z } from 'zod'

const intVar = (fallback: number, min: number, max: number) => z.coerce.number().int().min(min).max(max).default(fallback)
const optionalText = z.string().trim().min(1).optional().catch(undefined)

const configSchema = z.object({
  ENVIRONMENT: z.enum([
    'production',
    'staging',
    'development',
    'test',
  ]).default('production'),
  DATABASE_URL: z.string().min(1),
  // Local development and tests only: the Neon-protocol SQL endpoint (scripts/local-neon) that stands in for Neon.
  LOCAL_SQL_ENDPOINT: optionalText,
  DB_TIMEOUT_MS: intVar(5_000, 100, 60_000),

  JWT_PRIVATE_KEYS: z.string().min(1),
  JWT_ISSUER: z.string().min(1),
  JWT_AUDIENCE: z.string().min(1),
  ACCESS_TOKEN_TTL_SECONDS: intVar(900, 60, 86_400),
  REFRESH_TOKEN_TTL_SECONDS: intVar(2_592_000, 3_600, 31_536_000),

  OTP_HMAC_SECRET: z.string().min(32, 'OTP_HMAC_SECRET must be at least 32 characters'),
  OTP_LENGTH: intVar(6, 4, 8),
  OTP_TTL_SECONDS: intVar(300, 30, 3_600),

  SMS_PROVIDER: z.enum(['twilio', 'console']).default('twilio'),
  SMS_TIMEOUT_MS: intVar(5_000, 100, 30_000),
  TWILIO_API_BASE_URL: z.url().default('https://api.twilio.com'),
  TWILIO_ACCOUNT_SID: optionalText,
  TWILIO_AUTH_TOKEN: optionalText,
  TWILIO_FROM_NUMBER: optionalText,
  TWILIO_MESSAGING_SERVICE_SID: optionalText,
  SMS_APP_NAME: z.string().trim().min(1).max(40).default('Phone Auth'),

  REFERRAL_INVITEE_POINTS: intVar(100, 0, 1_000_000),
  REFERRAL_INVITER_POINTS: intVar(200, 0, 1_000_000),
}).superRefine((config, ctx) => {
  const production = config.ENVIRONMENT === 'production' || config.ENVIRONMENT === 'staging'
  if (production && config.SMS_PROVIDER === 'console') {
    ctx.addIssue({
      code: 'custom',
      path: ['SMS_PROVIDER'],
      message: 'console SMS would write sign-in codes to the logs; use twilio outside development',
    })
  }
  if (production && config.LOCAL_SQL_ENDPOINT) {
    ctx.addIssue({
      code: 'custom',
      path: ['LOCAL_SQL_ENDPOINT'],
      message: 'the local SQL endpoint is for development and tests only',
    })
  }
  if (config.SMS_PROVIDER === 'twilio') {
    if (!config.TWILIO_ACCOUNT_SID || !config.TWILIO_AUTH_TOKEN) {
      ctx.addIssue({
        code: 'custom',
        path: ['TWILIO_ACCOUNT_SID'],
        message: 'TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN are required with SMS_PROVIDER=twilio',
      })
    }
    if (!config.TWILIO_FROM_NUMBER && !config.TWILIO_MESSAGING_SERVICE_SID) {
      ctx.addIssue({
        code: 'custom',
        path: ['TWILIO_FROM_NUMBER'],
        message: 'set TWILIO_FROM_NUMBER or TWILIO_MESSAGING_SERVICE_SID',
      })
    }
  }
})

export type Config = z.infer<typeof configSchema>

/** The deployment is misconfigured: a variable or secret is missing or invalid. */
export class ConfigError extends Error {
  override name = 'ConfigError'
}

const parsed = new WeakMap<object, Config>()

/** Validates the Worker's bindings once per isolate; handlers only ever see the typed result. */
export function loadConfig(env: object): Config {
  let config = parsed.get(env)
  if (!config) {
    const result = configSchema.safeParse(env)
    if (!result.success) {
      const problems = result.error.issues.map(issue => `${issue.path.join('.')}: ${issue.message}`)
      throw new ConfigError(`Invalid configuration: ${problems.join('; ')}`)
    }
    config = result.data
    parsed.set(env, config)
  }
  return config
}
