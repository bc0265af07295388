// A stand-in for Twilio's REST APIs at their HTTP boundary: Messages (SMS and WhatsApp, `whatsapp:+…` addresses) and
// Verify v2 (Verifications, VerificationCheck, cancelling a verification). It records every request exactly as our
// Worker sent it, and answers like Twilio does; tests make it fail for chosen recipients to exercise the error paths.
import type { LoopbackServer } from './loopback-server.ts'
import { Buffer } from 'node:buffer'
import { randomInt } from 'node:crypto'
import { createServer } from 'node:http'
import { listenOnLoopback } from './loopback-server.ts'

export interface RecordedTwilioRequest {
  method: string
  path: string
  authorization: string | undefined
  contentType: string | undefined
  form: Record<string, string>
  /** The code a Verify send delivered (Twilio made it), for the tests to type in. */
  code?: string
}

/**
 * How the fake answers requests for one recipient: an HTTP status with Twilio's error body (`code` names Twilio's
 * error, 20003 when left out), never, or a success status whose body is not a resource (what a misbehaving proxy in
 * between might send). `on: 'check'` fails Verify's checks instead of the sends, or with `reusable` makes them
 * approve the right code every time, so single use must hold without Twilio's help.
 */
export type TwilioFailure = { status: number, code?: number } | { hang: true } | { malformed: true } | { reusable: true }

export type FakeTwilio = LoopbackServer

/** Twilio Verify's rules: a verification lives 10 minutes, takes 5 checks, and a new send while one is pending resends its code. */
const VERIFICATION_TTL_MS = 600_000
const MAX_CHECKS = 5

interface PendingVerification {
  sid: string
  to: string
  code: string
  expiresAt: number
  checks: number
}

const sid = (prefix: string) => `${prefix}${crypto.randomUUID().replaceAll('-', '')}`

export async function startFakeTwilio(): Promise<FakeTwilio> {
  // Each with its recipient in E.164 (without a `whatsapp:` prefix), which the tests ask by.
  const requests: { to: string, request: RecordedTwilioRequest }[] = []
  const failures = new Map<string, TwilioFailure>()
  const verifications = new Map<string, PendingVerification>()

  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://fake')
    const chunks: Buffer[] = []
    for await (const chunk of req) chunks.push(chunk as Buffer)
    const body = Buffer.concat(chunks).toString('utf8')
    const json = (status: number, value: unknown) => {
      res.writeHead(status, { 'Content-Type': 'application/json' })
      res.end(JSON.stringify(value))
    }
    const twilioError = (status: number, code: number) => json(status, {
      code,
      message: `Simulated error ${code}`,
      more_info: `https://www.twilio.com/docs/errors/${code}`,
      status,
    })

    // Test controls, namespaced away from Twilio's paths.
    if (url.pathname === '/__fake/requests' && req.method === 'GET') {
      const to = url.searchParams.get('to')
      return json(200, requests.filter(entry => !to || entry.to === to).map(entry => entry.request))
    }
    if (url.pathname === '/__fake/failures' && req.method === 'POST') {
      const { to, failure, on } = JSON.parse(body) as { to: string, failure: TwilioFailure | null, on?: 'check' }
      const key = on === 'check'
        ? `check:${to}`
        : to
      if (failure)
        failures.set(key, failure)
      else
        failures.delete(key)
      return json(204, null)
    }

    const form = Object.fromEntries(new URLSearchParams(body))
    const update = /^\/v2\/Services\/(VA\w+)\/Verifications\/(VE\w+)$/.exec(url.pathname)
    const updated = update && [...verifications].find(([, verification]) => verification.sid === update[2])
    // A verification is updated by its SID alone: it is recorded under the number it was sent to.
    const to = (updated?.[1].to ?? form.To ?? '').replace(/^whatsapp:/, '')
    const isCheck = url.pathname.endsWith('/VerificationCheck')
    const recorded: RecordedTwilioRequest = {
      method: req.method ?? '',
      path: url.pathname,
      authorization: req.headers.authorization,
      contentType: req.headers['content-type'],
      form,
    }
    requests.push({ to, request: recorded })
    const failure = failures.get(isCheck
      ? `check:${to}`
      : to)
    if (failure && 'hang' in failure)
      return // never answers: the Worker's timeout must fire
    if (failure && 'malformed' in failure) {
      res.writeHead(200, { 'Content-Type': 'text/html' })
      return res.end('<html><body>Service temporarily overloaded</body></html>')
    }
    if (failure && 'status' in failure)
      return twilioError(failure.status, failure.code ?? 20003)

    if (update) {
      if (!updated || form.Status !== 'canceled')
        return twilioError(404, 20404)
      verifications.delete(updated[0])
      return json(200, { sid: update[2], service_sid: update[1], status: 'canceled' })
    }
    const verify = /^\/v2\/Services\/(VA\w+)\/(?:Verifications|VerificationCheck)$/.exec(url.pathname)
    if (verify) {
      const key = `${verify[1]}:${to}`
      const pending = verifications.get(key)
      const live = pending && pending.expiresAt > Date.now()
        ? pending
        : undefined
      if (!isCheck) {
        const verification = live ?? {
          sid: sid('VE'),
          to,
          code: String(randomInt(0, 1_000_000)).padStart(6, '0'),
          expiresAt: Date.now() + VERIFICATION_TTL_MS,
          checks: 0,
        }
        verifications.set(key, verification)
        recorded.code = verification.code
        return json(201, {
          sid: verification.sid,
          service_sid: verify[1],
          to,
          channel: form.Channel,
          status: 'pending',
          valid: false,
        })
      }
      if (!live)
        return twilioError(404, 20404)
      if (live.checks >= MAX_CHECKS)
        return twilioError(429, 60202)
      live.checks += 1
      const approved = form.Code === live.code
      if (approved && !failure)
        verifications.delete(key)
      return json(200, {
        sid: live.sid,
        service_sid: verify[1],
        to,
        status: approved ? 'approved' : 'pending',
        valid: approved,
      })
    }

    json(201, {
      sid: sid('SM'),
      status: 'queued',
      to: form.To,
      from: form.From ?? null,
      body: form.Body,
    })
  })

  return listenOnLoopback(server)
}
