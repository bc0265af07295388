import type { NumberType } from 'libphonenumber-js/max'
import type { E164 } from './domain/phone-number'
import { z } from 'zod'
import { parseE164, TEXTABLE_NUMBER_TYPES } from './domain/phone-number'
import { CHANNELS } from './integrations/sms/code-sender'
import { LOCALES } from './integrations/sms/locales'
import { fittingSignInText, textSettings } from './integrations/sms/sign-in-text'

const intVar = (fallback: number, min: number, max: number) => z.coerce.number().int().min(min).max(max).default(fallback)
const optionalText = z.string().trim().min(1).optional().catch(undefined)
/** A count where an empty or absent variable means "no limit". */
const optionalLimit = z.preprocess(value => value === ''
  ? undefined
  : value, z.coerce.number().int().min(0).max(1_000_000).optional())
const commaList = z.string().default('').transform(value => value.split(',').map(item => item.trim()).filter(Boolean))

/** "RU, kz" → ["RU", "KZ"]; empty means every country. */
const countryList = commaList.pipe(z.array(z.string().toUpperCase().regex(/^[A-Z]{2}$/, 'use ISO 3166-1 alpha-2 country codes, e.g. RU,KZ')))

const NUMBER_TYPES = [
  'MOBILE',
  'FIXED_LINE_OR_MOBILE',
  'FIXED_LINE',
  'VOIP',
  'PERSONAL_NUMBER',
  'PAGER',
  'UAN',
  'VOICEMAIL',
  'TOLL_FREE',
  'PREMIUM_RATE',
  'SHARED_COST',
] as const

/** "MOBILE, fixed_line_or_mobile" → a set of libphonenumber number types; empty means the textable defaults. */
const numberTypeList = commaList.pipe(z.array(z.string().toUpperCase().pipe(z.enum(NUMBER_TYPES, `use libphonenumber types: ${NUMBER_TYPES.join(', ')}`))))
  .transform(types => new Set<NonNullable<NumberType>>(types.length > 0
    ? types
    : TEXTABLE_NUMBER_TYPES))

/** "+15555550100:123456,…" → a map from the E.164 number to its fixed code. */
const testPhoneNumbers = commaList.transform((entries, ctx) => {
  const numbers = new Map<E164, string>()
  for (const entry of entries) {
    const [phone = '', code = ''] = entry.split(':')
    const e164 = parseE164(phone)
    if (!e164 || !/^\d{4,8}$/.test(code)) {
      ctx.addIssue({ code: 'custom', message: `"${phone}" is not "+<number>:<4 to 8 digits>"` })
      continue
    }
    numbers.set(e164, code)
  }
  return numbers
})

/** "sms, whatsapp" → the channels send_sms offers; empty means SMS alone, what a request without a channel gets. */
const channelList = commaList.pipe(z.array(z.enum(CHANNELS, `use channels from: ${CHANNELS.join(', ')}`)))
  .transform(channels => channels.length > 0
    ? [
        ...new Set(channels),
      ]
    : ['sms' as const])

/** A host name as the origin-bound code line names it: no scheme, port or path. */
const HOST_NAME = /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/i

function isExactOrigin(value: string): boolean {
  // URL parsing accepts "*" in a host name; a wildcard is exactly what the allowlist must not hold.
  if (value.includes('*'))
    return false
  try {
    const url = new URL(value)
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.origin === value
  }
  catch {
    return false
  }
}

/** Comma-separated exact origins. No wildcard: the allowlist is the point, and `*` would admit every site. */
const originList = z.string().default('').transform((value, ctx) => {
  const origins = value.split(',').map(origin => origin.trim()).filter(Boolean)
  for (const origin of origins.filter(origin => !isExactOrigin(origin))) {
    ctx.addIssue({
      code: 'custom',
      message: `"${origin}" is not an exact origin like https://app.example.com (no "*", path or trailing slash)`,
    })
  }
  return origins
})

export const SERVER_KEY_SCOPES = ['users:read', 'points:write'] as const
export type ServerKeyScope = typeof SERVER_KEY_SCOPES[number]

/**
 * The server API's keys as a JSON list of `{name, scopes, sha256}` (`npm run keys:server` prints an entry): only
 * hashes, so the configuration shows no key, and keys are added and removed one at a time.
 */
const serverKeyList = z.string().default('[]').transform((value, ctx) => {
  try {
    return JSON.parse(value) as unknown
  }
  catch {
    ctx.addIssue({ code: 'custom', message: 'not JSON; use the list `npm run keys:server` prints entries of' })
    return z.NEVER
  }
}).pipe(z.array(z.object({
  name: z.string().regex(/^[\w.-]{1,64}$/, 'a name of letters, digits, . _ -'),
  scopes: z.array(z.enum(SERVER_KEY_SCOPES)).min(1),
  sha256: z.string().regex(/^[\w-]{43}$/, 'the key\'s SHA-256, base64url, as `npm run keys:server` prints it'),
})))

/** A Standard Webhooks secret: `whsec_` and the base64 of at least 24 random bytes. */
const webhookSecret = z.string().trim().regex(/^(?:whsec_[A-Z0-9+/]{32,}={0,2})?$/i, 'use `whsec_` and base64 of at least 24 random bytes (npm run keys:server prints one)').optional().transform(value => value || undefined)

/** An absent or empty variable both mean "not set". */
const optionalUrl = z.union([
  z.literal(''),
  z.url(),
]).optional().transform(value => value || undefined)

const baseSchema = z.object({
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
  ACCESS_TOKEN_CLOCK_SKEW_SECONDS: intVar(30, 0, 300),
  REFRESH_TOKEN_TTL_SECONDS: intVar(2_592_000, 3_600, 31_536_000),
  REFRESH_TOKEN_REUSE_GRACE_SECONDS: intVar(10, 0, 60),
  // How long the hourly clean-up keeps refresh tokens past their expiry or their session's end: a rotated token is
  // caught as reuse (ending its family) until its own expiry plus this many days.
  SESSION_RETENTION_DAYS: intVar(30, 1, 3_650),

  OTP_HMAC_SECRET: z.string().min(32, 'OTP_HMAC_SECRET must be at least 32 characters'),
  OTP_LENGTH: intVar(6, 4, 8),
  OTP_TTL_SECONDS: intVar(300, 30, 3_600),
  OTP_MAX_ATTEMPTS: intVar(5, 1, 20),
  OTP_RESEND_SECONDS: intVar(60, 0, 3_600),
  OTP_SENDS_PER_HOUR: intVar(5, 1, 100),
  IP_SENDS_PER_HOUR: intVar(30, 1, 100_000),
  IP_VERIFIES_PER_HOUR: intVar(100, 1, 100_000),
  SMS_ALLOWED_COUNTRIES: countryList,
  // Of the number's hourly sends, how many one client (address) may use: a stranger cannot use them all up.
  OTP_SENDS_PER_HOUR_PER_CLIENT: intVar(3, 1, 100),
  // Caps on SMS to numbers that have never signed in (returning users are never stopped by them): per block of
  // 10,000 numbers, and a higher ceiling per country calling code, both per UTC day.
  SMS_NEW_NUMBERS_PER_RANGE_PER_DAY: intVar(50, 1, 10_000_000),
  SMS_NEW_NUMBERS_PER_COUNTRY_PER_DAY: intVar(10_000, 1, 100_000_000),
  // Which kinds of number get a code (libphonenumber types); premium-rate, VoIP, satellite and the like do not.
  SMS_NUMBER_TYPES: numberTypeList,
  // Cloudflare Turnstile on send_sms: set the secret (and the site key for the web form) to require a human check.
  TURNSTILE_SECRET_KEY: optionalText,
  TURNSTILE_SITE_KEY: optionalText,
  TURNSTILE_API_BASE_URL: z.url().default('https://challenges.cloudflare.com'),
  // Reviewers' and QA's numbers: no SMS is sent and the fixed code signs in. Refused in production.
  TEST_PHONE_NUMBERS: testPhoneNumbers,

  // Who sends the `sms` channel's codes: twilio (Messages, our code), twilio_verify (Twilio makes and checks the
  // code), telegram_gateway (our code, in Telegram), console (development: the log).
  SMS_PROVIDER: z.enum([
    'twilio',
    'twilio_verify',
    'telegram_gateway',
    'console',
  ]).default('twilio'),
  // The channels send_sms offers; a request without one gets sms.
  SMS_CHANNELS: channelList,
  SMS_TIMEOUT_MS: intVar(5_000, 100, 30_000),
  TWILIO_API_BASE_URL: z.url().default('https://api.twilio.com'),
  TWILIO_VERIFY_API_BASE_URL: z.url().default('https://verify.twilio.com'),
  TWILIO_ACCOUNT_SID: optionalText,
  TWILIO_AUTH_TOKEN: optionalText,
  TWILIO_FROM_NUMBER: optionalText,
  TWILIO_MESSAGING_SERVICE_SID: optionalText,
  TWILIO_VERIFY_SERVICE_SID: optionalText,
  // The WhatsApp sender (E.164) for the whatsapp channel through Twilio Messages.
  TWILIO_WHATSAPP_FROM: optionalText,
  TELEGRAM_GATEWAY_API_BASE_URL: z.url().default('https://gatewayapi.telegram.org'),
  TELEGRAM_GATEWAY_TOKEN: optionalText,
  SMS_APP_NAME: z.string().trim().min(1).max(40).default('Phone Auth'),
  // Autofill: the web origin's host for the SMS's last line `@host #code`, and the Android app's SMS Retriever hash.
  WEB_OTP_DOMAIN: optionalText,
  SMS_ANDROID_APP_HASH: optionalText,
  // The language of texts when the request names none (locale, Accept-Language) that we write in.
  SMS_DEFAULT_LOCALE: z.enum(LOCALES).default('en'),

  // Browser apps allowed to call the API from another origin; empty: no CORS headers at all (same-origin or native).
  CORS_ALLOWED_ORIGINS: originList,

  REFERRAL_INVITEE_POINTS: intVar(100, 0, 1_000_000),
  REFERRAL_INVITER_POINTS: intVar(200, 0, 1_000_000),
  // Per user per hour, so one account cannot probe which referral codes exist or keep rows locked with a flood of
  // writes: PATCH /users/profile/update/ requests carrying a code count as activation attempts (a person needs one,
  // and a few for typos), the others as profile updates (far more than anyone edits a name in an hour).
  REFERRAL_ACTIVATIONS_PER_HOUR: intVar(10, 1, 1_000),
  PROFILE_UPDATES_PER_HOUR: intVar(30, 1, 10_000),
  // Referral rules (docs/referral-rules.md); the defaults pay both rewards at activation, with no cap.
  // qualifying_event: rewards wait as pending until the server API qualifies them (or voids them).
  REFERRAL_REWARD_ON: z.enum(['activation', 'qualifying_event']).default('activation'),
  // Pending rewards older than this are voided by the hourly cron.
  REFERRAL_PENDING_DAYS: intVar(30, 1, 3_650),
  // Inviter rewards per inviter per UTC day / month; empty: unlimited. Past a cap the inviter's reward is recorded
  // as capped, worth 0; the invitee's is unaffected.
  REFERRAL_INVITER_MAX_PER_DAY: optionalLimit,
  REFERRAL_INVITER_MAX_PER_MONTH: optionalLimit,
  // Farming signals; each is off while empty. An activation is flagged when invitee and inviter were on one network
  // (IPv4 /24, IPv6 /48) within this many hours; when one code was activated more than this many times from one
  // network this clock hour; when both numbers share this many leading digits (country calling code included).
  REFERRAL_SAME_NETWORK_HOURS: optionalLimit.pipe(z.number().max(720).optional()),
  REFERRAL_BURST: optionalLimit,
  REFERRAL_SAME_RANGE_DIGITS: optionalLimit.pipe(z.number().min(1).max(14).optional()),
  // What a flagged activation gets: pending (both rewards wait for review), block (409 referral_flagged), allow.
  REFERRAL_FLAGGED: z.enum(['pending', 'block', 'allow']).default('pending'),

  SERVER_API_KEYS: serverKeyList,
  // Where events are POSTed (Standard Webhooks); empty: no event is recorded or sent at all.
  WEBHOOK_URL: optionalUrl,
  WEBHOOK_SECRET: webhookSecret,
  WEBHOOK_TIMEOUT_MS: intVar(5_000, 100, 30_000),
  // A failed delivery is retried after this many seconds, doubling each time (wrangler.toml max_retries, then the DLQ).
  WEBHOOK_RETRY_BASE_SECONDS: intVar(30, 0, 3_600),
})

type BaseConfig = z.infer<typeof baseSchema>

const configSchema = baseSchema.superRefine((config, ctx) => {
  const production = config.ENVIRONMENT === 'production' || config.ENVIRONMENT === 'staging'
  if (production && config.SMS_PROVIDER === 'console') {
    ctx.addIssue({
      code: 'custom',
      path: ['SMS_PROVIDER'],
      message: 'console SMS would write sign-in codes to the logs; use twilio outside development',
    })
  }
  if (config.ENVIRONMENT === 'production' && config.TEST_PHONE_NUMBERS.size > 0) {
    ctx.addIssue({
      code: 'custom',
      path: ['TEST_PHONE_NUMBERS'],
      message: 'fixed-code test numbers are a way in without an SMS; they are refused in production',
    })
  }
  if (production && config.LOCAL_SQL_ENDPOINT) {
    ctx.addIssue({
      code: 'custom',
      path: ['LOCAL_SQL_ENDPOINT'],
      message: 'the local SQL endpoint is for development and tests only',
    })
  }
  if (Boolean(config.TURNSTILE_SECRET_KEY) !== Boolean(config.TURNSTILE_SITE_KEY)) {
    ctx.addIssue({
      code: 'custom',
      path: ['TURNSTILE_SECRET_KEY'],
      message: 'set TURNSTILE_SECRET_KEY and TURNSTILE_SITE_KEY together (the web form shows the widget with the site key)',
    })
  }
  if (config.WEBHOOK_URL && !config.WEBHOOK_SECRET) {
    ctx.addIssue({
      code: 'custom',
      path: ['WEBHOOK_SECRET'],
      message: 'WEBHOOK_URL needs WEBHOOK_SECRET, which signs every event',
    })
  }
  checkProviders(config, ctx)
  checkAutofill(config, ctx)
})

/** Every channel on offer has its provider's settings: the Worker refuses to start rather than fail a send. */
function checkProviders(config: BaseConfig, ctx: z.RefinementCtx): void {
  const issue = (path: string, message: string) => ctx.addIssue({
    code: 'custom',
    path: [path],
    message,
  })
  if (config.SMS_PROVIDER === 'console')
    return
  const channels = new Set(config.SMS_CHANNELS)
  const twilioMessages = (config.SMS_PROVIDER === 'twilio' && channels.has('sms'))
    || (config.SMS_PROVIDER !== 'twilio_verify' && channels.has('whatsapp'))
  if ((twilioMessages || config.SMS_PROVIDER === 'twilio_verify') && (!config.TWILIO_ACCOUNT_SID || !config.TWILIO_AUTH_TOKEN))
    issue('TWILIO_ACCOUNT_SID', `TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN are required with SMS_PROVIDER=${config.SMS_PROVIDER} and SMS_CHANNELS=${config.SMS_CHANNELS.join(',')}`)
  if (config.SMS_PROVIDER === 'twilio' && channels.has('sms') && !config.TWILIO_FROM_NUMBER && !config.TWILIO_MESSAGING_SERVICE_SID)
    issue('TWILIO_FROM_NUMBER', 'set TWILIO_FROM_NUMBER or TWILIO_MESSAGING_SERVICE_SID')
  if (config.SMS_PROVIDER === 'twilio_verify' && !/^VA[0-9a-f]{32}$/i.test(config.TWILIO_VERIFY_SERVICE_SID ?? ''))
    issue('TWILIO_VERIFY_SERVICE_SID', 'SMS_PROVIDER=twilio_verify needs the Verify service\'s SID (VA followed by 32 hex digits)')
  if (config.SMS_PROVIDER !== 'twilio_verify' && channels.has('whatsapp') && !parseE164(config.TWILIO_WHATSAPP_FROM ?? ''))
    issue('TWILIO_WHATSAPP_FROM', 'the whatsapp channel needs TWILIO_WHATSAPP_FROM, the WhatsApp sender\'s number in E.164')
  if ((config.SMS_PROVIDER === 'telegram_gateway' || channels.has('telegram')) && !config.TELEGRAM_GATEWAY_TOKEN)
    issue('TELEGRAM_GATEWAY_TOKEN', 'Telegram Gateway (SMS_PROVIDER=telegram_gateway or the telegram channel) needs TELEGRAM_GATEWAY_TOKEN')
}

/** The autofill settings are well-formed, and the SMS still fits one message in every language with the longest code. */
function checkAutofill(config: BaseConfig, ctx: z.RefinementCtx): void {
  const issue = (path: string, message: string) => ctx.addIssue({
    code: 'custom',
    path: [path],
    message,
  })
  if (config.WEB_OTP_DOMAIN !== undefined && !HOST_NAME.test(config.WEB_OTP_DOMAIN))
    issue('WEB_OTP_DOMAIN', 'WEB_OTP_DOMAIN is the web app\'s host name alone, e.g. auth.example.com (no scheme, port or path)')
  if (config.SMS_ANDROID_APP_HASH !== undefined && !/^[\w+/]{11}$/.test(config.SMS_ANDROID_APP_HASH))
    issue('SMS_ANDROID_APP_HASH', 'SMS_ANDROID_APP_HASH is the 11-character hash of the Android app (SMS Retriever API)')
  const code = '0'.repeat(config.OTP_LENGTH)
  for (const locale of LOCALES) {
    if (!fittingSignInText(code, locale, textSettings(config, 'sms')))
      issue('WEB_OTP_DOMAIN', `the ${locale} sign-in SMS with WEB_OTP_DOMAIN and SMS_ANDROID_APP_HASH does not fit one SMS; shorten them`)
  }
}

export type Config = z.infer<typeof configSchema>
export type ServerKey = Config['SERVER_API_KEYS'][number]

/** The deployment is misconfigured: a variable or secret is missing or invalid. */
export class ConfigError extends Error {
  override name = 'ConfigError'
}

const parsed = new WeakMap<object, Config>()

/** Validates the Worker's bindings once per isolate; handlers only ever see the typed result. */
export function loadConfig(env: object): Config {
  let config = parsed.get(env)
  if (!config) {
    // An empty variable is an unset one (the .dev.vars.sample convention), whatever its type: a default applies.
    const result = configSchema.safeParse(Object.fromEntries(Object.entries(env).filter(([, value]) => value !== '')))
    if (!result.success) {
      const problems = result.error.issues.map(issue => `${issue.path.join('.')}: ${issue.message}`)
      throw new ConfigError(`Invalid configuration: ${problems.join('; ')}`)
    }
    config = result.data
    parsed.set(env, config)
  }
  return config
}
