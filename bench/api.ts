// Talking to the Worker as a client does: JSON over HTTP, and sign-in codes read from the Worker's log, where the
// console SMS sender writes them ("[sms to +7912*****89] 123456 is your …"). Numbers are masked there, so a batch
// of numbers in flight at once must differ in their visible part; `phonePool` makes such numbers.
import type { Agent } from 'node:http'
import type { E164 } from '../src/domain/phone-number.ts'
import { Buffer } from 'node:buffer'
import { request as httpRequest } from 'node:http'
import { setTimeout as sleep } from 'node:timers/promises'
import { maskPhoneNumber, numberType, parseE164, TEXTABLE_NUMBER_TYPES } from '../src/domain/phone-number.ts'

export interface Tokens {
  access: string
  refresh: string
  userId: string
  referralCode: string
}

/** The masked recipient and the code of a log line the console SMS sender wrote, or null. */
export function smsInLog(line: string): { masked: string, code: string } | null {
  const match = /^\[sms to (\S+)\] (\d{4,8}) /.exec(line)
  return match
    ? { masked: match[1]!, code: match[2]! }
    : null
}

export class SignInCodes {
  private readonly latest = new Map<string, { code: string, seq: number }>()
  private seq = 0

  /** Feed every Worker log line here. */
  readonly onLog = (line: string): void => {
    const sms = smsInLog(line)
    if (sms)
      this.latest.set(sms.masked, { code: sms.code, seq: ++this.seq })
  }

  mark(): number {
    return this.seq
  }

  /** The code texted to `phone` after `mark`, waiting up to `timeoutMs` for the log line. */
  async codeFor(phone: E164, mark = 0, timeoutMs = 2_000): Promise<string> {
    const deadline = performance.now() + timeoutMs
    for (;;) {
      const entry = this.latest.get(maskPhoneNumber(phone))
      if (entry && entry.seq > mark)
        return entry.code
      if (performance.now() > deadline)
        throw new Error(`No sign-in code for ${maskPhoneNumber(phone)} appeared in the Worker's log.`)
      await sleep(5)
    }
  }
}

/**
 * The sequential hops of each request, from its log line's `hops` (one entry per hop, naming what it reached). The
 * lines arrive after the answers, so `take` waits for as many as requests were sent.
 */
export class LoggedHops {
  private readonly requests: string[][] = []

  /** Feed every Worker log line here. */
  readonly onLog = (line: string): void => {
    if (!line.startsWith('{'))
      return
    const { hops } = JSON.parse(line) as { hops?: string[] }
    if (hops)
      this.requests.push(hops)
  }

  /** The hops of the next `count` requests logged, waiting up to `timeoutMs` for their lines. */
  async take(count: number, timeoutMs = 2_000): Promise<string[][]> {
    const deadline = performance.now() + timeoutMs
    while (this.requests.length < count) {
      if (performance.now() > deadline)
        throw new Error(`Only ${this.requests.length} of ${count} request log lines appeared in the Worker's log.`)
      await sleep(5)
    }
    return this.requests.splice(0)
  }
}

/**
 * Valid Russian mobile numbers +79XX00000YY whose masked form (+79XX*****YY) differs for every one of them, so a
 * code in the log belongs to exactly one; 9,800 of them. (+7999… is the seeded users' range.)
 */
export function phonePool(): E164[] {
  const phones: E164[] = []
  const textable = new Set<string>(TEXTABLE_NUMBER_TYPES)
  for (let last = 0; last < 100; last++) {
    for (let operator = 900; operator < 999; operator++) {
      const phone = parseE164(`+7${operator}00000${String(last).padStart(2, '0')}`)!
      if (textable.has(numberType(phone) ?? ''))
        phones.push(phone)
    }
  }
  return phones
}

export interface Call {
  method: string
  path: string
  token?: string
  body?: unknown
}

/**
 * One HTTP request over node:http. Without an agent it opens its own connection: a pooled keep-alive connection
 * left idle while autocannon runs may have been closed by workerd, and a POST on it would fail.
 */
export function send(url: URL, init: { method: string, headers: Record<string, string>, body?: string }, agent: Agent | false = false): Promise<{ status: number, text: string }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(url, { method: init.method, headers: init.headers, agent }, (response) => {
      const chunks: Buffer[] = []
      response.on('data', (chunk: Buffer) => chunks.push(chunk))
      response.on('end', () => resolve({
        status: response.statusCode ?? 0,
        text: Buffer.concat(chunks).toString('utf8'),
      }))
      response.on('error', reject)
    })
    request.on('error', reject)
    request.end(init.body)
  })
}

export async function call<T = any>(base: URL, { method, path, token, body }: Call): Promise<{ status: number, body: T }> {
  const headers: Record<string, string> = {}
  if (token)
    headers.authorization = `Bearer ${token}`
  if (body !== undefined)
    headers['content-type'] = 'application/json'
  const response = await send(new URL(path, base), {
    method,
    headers,
    body: body === undefined
      ? undefined
      : JSON.stringify(body),
  })
  return { status: response.status, body: response.text && JSON.parse(response.text) }
}

/** Signs in through the API (send_sms, the code from the log, verify_sms), as any client would. */
export async function signIn(base: URL, codes: SignInCodes, phone: E164): Promise<Tokens> {
  const mark = codes.mark()
  const sent = await call(base, {
    method: 'POST',
    path: '/users/auth/send_sms/',
    body: { phone_number: phone },
  })
  if (sent.status !== 202)
    throw new Error(`send_sms answered ${sent.status}: ${JSON.stringify(sent.body)}`)
  const verified = await call(base, {
    method: 'POST',
    path: '/users/auth/verify_sms/',
    body: { phone_number: phone, sms_code: await codes.codeFor(phone, mark) },
  })
  if (verified.status !== 200)
    throw new Error(`verify_sms answered ${verified.status}: ${JSON.stringify(verified.body)}`)
  return tokensOf(verified.body)
}

export function tokensOf(body: { access: string, refresh: string, user: { id: string, referral_code: string } }): Tokens {
  return {
    access: body.access,
    refresh: body.refresh,
    userId: body.user.id,
    referralCode: body.user.referral_code,
  }
}
