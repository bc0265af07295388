// Test helpers that run inside workerd, next to the Worker: they call it through its fetch handler, read what the
// fake SMS provider received, and count round trips at the local SQL endpoint.
import type { E164 } from '../../src/domain/phone-number'
import { neon, neonConfig } from '@neondatabase/serverless'
import { createExecutionContext, createScheduledController, env, waitOnExecutionContext } from 'cloudflare:test'
import { exports } from 'cloudflare:workers'
import { expect, vi } from 'vitest'
import { parseE164 } from '../../src/domain/phone-number'
import worker from '../../src/index'
// The Worker builds its app on its first request (src/lazy-app.ts); loading it here keeps that out of the first test's
// time limit, since the test runner fetches each module of it one by one.
import '../../src/app'

export const BASE_URL = 'https://phone-auth.test'

export interface ApiResponse<T = any> {
  status: number
  headers: Headers
  body: T
}

export interface ApiOptions {
  body?: unknown
  token?: string
  headers?: Record<string, string>
  /** A raw body, sent as is (for malformed JSON and wrong content types). */
  rawBody?: string
  /** Serve this request with these settings instead of the test defaults (from `withSettings`). */
  env?: Env
}

const configured = new Map<string, Env>()

/**
 * Settings for a request that the SMS provider's fake is told not to answer (`{ hang: true }`): a short
 * SMS_TIMEOUT_MS, so the test waits a quarter of a second for it. For the failing request only: others keep the
 * suite's generous timeout, since on a loaded machine even a fake's answer can take longer than this.
 */
export function unansweredSettings(settings: Partial<Record<keyof Env, string>> = {}): Env {
  return withSettings({ ...settings, SMS_TIMEOUT_MS: '250' })
}

/**
 * The Worker's bindings with some settings changed (small limits, say), for `api(…, { env })`. One object per
 * distinct set, so the Worker's per-environment caches behave as they do in production.
 */
export function withSettings(settings: Partial<Record<keyof Env, string>>): Env {
  const key = JSON.stringify(settings)
  let configuredEnv = configured.get(key)
  if (!configuredEnv) {
    configuredEnv = {
      ...env,
      ...settings,
    } as Env
    configured.set(key, configuredEnv)
  }
  return configuredEnv
}

export async function api<T = any>(method: string, path: string, options: ApiOptions = {}): Promise<ApiResponse<T>> {
  const headers = new Headers(options.headers)
  // One client address for the whole suite (its quotas are set high in vitest.config.ts); the quota tests pass their own.
  if (!headers.has('CF-Connecting-IP'))
    headers.set('CF-Connecting-IP', '2001:db8::1')
  if (options.token)
    headers.set('Authorization', `Bearer ${options.token}`)
  let body: string | undefined = options.rawBody
  if (options.body !== undefined) {
    body = JSON.stringify(options.body)
    if (!headers.has('Content-Type'))
      headers.set('Content-Type', 'application/json')
  }
  const request = new Request(`${BASE_URL}${path}`, { method, headers, body })
  const response = await fetchWorker(request, options.env)
  const text = await response.text()
  const type = response.headers.get('Content-Type') ?? ''
  return {
    status: response.status,
    headers: response.headers,
    body: type.includes('json') && text
      ? JSON.parse(text)
      : text,
  }
}

/** A client address from the documentation range 2001:db8::/32, with its own /64. */
export function randomAddress(): string {
  const group = () => Math.floor(Math.random() * 0x10000).toString(16)
  return `2001:db8:${group()}:${group()}::1`
}

/** The Worker's answer to `request`, with the test bindings or the given ones (from `withSettings`). */
export async function fetchWorker(request: Request, configuredEnv?: Env): Promise<Response> {
  if (!configuredEnv)
    return exports.default.fetch(request)
  const ctx = createExecutionContext()
  const response = await worker.fetch(request, configuredEnv, ctx)
  await waitOnExecutionContext(ctx)
  return response
}

/** Runs a Cron Trigger's handler as the platform would (the hourly run unless `cron` names another), and waits for its work. */
export async function runCron(options: { cron?: string, env?: Env } = {}): Promise<void> {
  const ctx = createExecutionContext()
  worker.scheduled(createScheduledController({
    cron: options.cron ?? '23 * * * *',
    scheduledTime: Date.now(),
  }), options.env ?? env, ctx)
  await waitOnExecutionContext(ctx)
}

let phoneCounter = 0

/** A valid Russian mobile number no other test uses. */
export function uniquePhone(): E164 {
  phoneCounter += 1
  // +7 91x: every number of the range is valid, so no run depends on which digits the clock gives (+7 930 00… is not).
  const digits = `${String(Date.now() % 1_000_000).padStart(6, '0')}${String(phoneCounter % 100).padStart(2, '0')}`
  return parseE164(`+791${digits}`)!
}

export interface RecordedSms {
  method: string
  path: string
  authorization: string | undefined
  contentType: string | undefined
  /** Twilio's form fields (none for Telegram Gateway). */
  form: Record<string, string>
  /** Telegram Gateway's JSON body. */
  json?: Record<string, unknown>
  /** The code Twilio Verify made for a send. */
  code?: string
}

/**
 * The fake of the provider that delivers the suite's codes (SMS_PROVIDER): Telegram Gateway's, or Twilio's, which
 * serves Messages and Verify alike. The same suites run against each (vitest.config.ts).
 */
function providerOrigin(): string {
  return env.SMS_PROVIDER === 'telegram_gateway'
    ? env.TELEGRAM_GATEWAY_API_BASE_URL
    : env.TWILIO_API_BASE_URL
}

/** The provider requests that sent `phone` a code (Twilio Verify's checks and cancellations are not sends). */
export async function smsSentTo(phone: string, origin = providerOrigin()): Promise<RecordedSms[]> {
  const response = await fetch(`${origin}/__fake/requests?to=${encodeURIComponent(phone)}`)
  const requests = await response.json<(RecordedSms & { form?: Record<string, string> })[]>()
  return requests
    .filter(request => !/\/(?:VerificationCheck|Verifications\/VE\w+)$/.test(request.path))
    .map(request => ({ ...request, form: request.form ?? {} }))
}

export async function lastCodeSentTo(phone: string, origin?: string): Promise<string> {
  const last = (await smsSentTo(phone, origin)).at(-1)
  const code = last?.code ?? (last?.json?.code as string | undefined) ?? /^(\d{4,8}) /.exec(last?.form.Body ?? '')?.[1]
  expect(code, `no code was sent to ${phone}`).toBeDefined()
  return code!
}

export async function failSmsTo(phone: string, failure: { status: number, code?: number, error?: string } | { hang: true } | { malformed: true } | { reusable: true } | null, options: { origin?: string, on?: 'check' } = {}): Promise<void> {
  await fetch(`${options.origin ?? providerOrigin()}/__fake/failures`, {
    method: 'POST',
    body: JSON.stringify({ to: phone, failure, on: options.on }),
  })
}

export interface SignedIn {
  phone: E164
  access: string
  refresh: string
  user: { id: string, referral_code: string, [key: string]: unknown }
  isNewUser: boolean
}

/**
 * Signs `phone` in, again if it already is (a second device): the resend cooldown is not what these tests are about.
 * `client` is where from: its address, and its User-Agent, which the sessions list shows as the device.
 */
export async function signIn(phoneNumber: string = uniquePhone(), client: Omit<ClientOptions, 'env' | 'fields'> = {}): Promise<SignedIn> {
  const phone = parseE164(phoneNumber)!
  expect((await sendSms(phone, {
    ...client,
    env: withSettings({ OTP_RESEND_SECONDS: '0' }),
  })).status).toBe(202)
  const verified = await verifySms(phone, await lastCodeSentTo(phone), client)
  expect(verified.status, JSON.stringify(verified.body)).toBe(200)
  return {
    phone,
    access: verified.body.access,
    refresh: verified.body.refresh,
    user: verified.body.user,
    isNewUser: verified.body.is_new_user,
  }
}

const statsUrl = () => env.LOCAL_SQL_ENDPOINT.replace(/\/sql$/, '/stats')

async function sqlRequests(): Promise<number> {
  const response = await fetch(statsUrl())
  return (await response.json<{ requests: number }>()).requests
}

/** How many database round trips `action` caused, counted at the SQL endpoint. */
export async function countRoundTrips<T>(action: () => Promise<T>): Promise<{ result: T, roundTrips: number }> {
  const before = await sqlRequests()
  const result = await action()
  return { result, roundTrips: await sqlRequests() - before }
}

/** Direct SQL for assertions on stored state (ledger sums, rows left behind), through the same driver. */
export function database() {
  neonConfig.fetchEndpoint = env.LOCAL_SQL_ENDPOINT
  return neon(env.DATABASE_URL)
}

/** Collects the Worker's console output (it runs in this isolate) until `vi.restoreAllMocks()`. */
export function captureLogs() {
  const lines: string[] = []
  for (const method of [
    'log',
    'error',
    'warn',
    'info',
    'debug',
  ] as const)
    vi.spyOn(console, method).mockImplementation((...args: unknown[]) => void lines.push(args.map(String).join(' ')))
  const requestLines = () => lines.filter(line => line.startsWith('{')).map(line => JSON.parse(line))
  return { lines, requestLines }
}

export interface ClientOptions {
  /** Settings from `withSettings`. */
  env?: Env
  /** The client's address (CF-Connecting-IP). */
  from?: string
  userAgent?: string
  /** Extra body fields: a verification id, a Turnstile token. */
  fields?: Record<string, string>
}

function clientHeaders(options: ClientOptions): Record<string, string> {
  return {
    ...(options.from && { 'CF-Connecting-IP': options.from }),
    ...(options.userAgent && { 'User-Agent': options.userAgent }),
  }
}

export function sendSms(phone: string, options: ClientOptions = {}): Promise<ApiResponse> {
  return api('POST', '/users/auth/send_sms/', {
    body: { phone_number: phone, ...options.fields },
    env: options.env,
    headers: clientHeaders(options),
  })
}

export function verifySms(phone: string, code: string, options: ClientOptions = {}): Promise<ApiResponse> {
  return api('POST', '/users/auth/verify_sms/', {
    body: { phone_number: phone, sms_code: code, ...options.fields },
    env: options.env,
    headers: clientHeaders(options),
  })
}

/** Moves a user's refresh-token rotations back past REFRESH_TOKEN_REUSE_GRACE_SECONDS, as if they were a minute old. */
export async function ageRotations(userId: string): Promise<void> {
  await database().query(`UPDATE refresh_tokens SET revoked_at = revoked_at - interval '1 minute' WHERE user_id = $1 AND revoked_reason = 'rotated'`, [userId])
}
