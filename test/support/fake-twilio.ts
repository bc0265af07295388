// A stand-in for Twilio's REST API at its HTTP boundary. It records every request exactly as our Worker sent it,
// and answers like Twilio does; tests make it fail for chosen recipients to exercise the error paths.
import type { LoopbackServer } from './loopback-server.ts'
import { Buffer } from 'node:buffer'
import { createServer } from 'node:http'
import { listenOnLoopback } from './loopback-server.ts'

export interface RecordedTwilioRequest {
  method: string
  path: string
  authorization: string | undefined
  contentType: string | undefined
  form: Record<string, string>
}

/**
 * How the fake answers messages to one recipient: an HTTP status with Twilio's error body, never, or a success
 * status whose body is not a message resource (what a misbehaving proxy in between might send).
 */
export type TwilioFailure = { status: number } | { hang: true } | { malformed: true }

export type FakeTwilio = LoopbackServer

export async function startFakeTwilio(): Promise<FakeTwilio> {
  const requests: RecordedTwilioRequest[] = []
  const failures = new Map<string, TwilioFailure>()

  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://fake')
    const chunks: Buffer[] = []
    for await (const chunk of req) chunks.push(chunk as Buffer)
    const body = Buffer.concat(chunks).toString('utf8')
    const json = (status: number, value: unknown) => {
      res.writeHead(status, { 'Content-Type': 'application/json' })
      res.end(JSON.stringify(value))
    }

    // Test controls, namespaced away from Twilio's paths.
    if (url.pathname === '/__fake/requests' && req.method === 'GET') {
      const to = url.searchParams.get('to')
      return json(200, requests.filter(request => !to || request.form.To === to))
    }
    if (url.pathname === '/__fake/failures' && req.method === 'POST') {
      const { to, failure } = JSON.parse(body) as { to: string, failure: TwilioFailure | null }
      if (failure)
        failures.set(to, failure)
      else
        failures.delete(to)
      return json(204, null)
    }

    const form = Object.fromEntries(new URLSearchParams(body))
    requests.push({
      method: req.method ?? '',
      path: url.pathname,
      authorization: req.headers.authorization,
      contentType: req.headers['content-type'],
      form,
    })
    const failure = failures.get(form.To ?? '')
    if (failure && 'hang' in failure)
      return // never answers: the Worker's timeout must fire
    if (failure && 'malformed' in failure) {
      res.writeHead(200, { 'Content-Type': 'text/html' })
      return res.end('<html><body>Service temporarily overloaded</body></html>')
    }
    if (failure) {
      return json(failure.status, {
        code: 20003,
        message: `Simulated failure for ${form.To}`,
        more_info: 'https://www.twilio.com/docs/errors/20003',
        status: failure.status,
      })
    }
    json(201, {
      sid: `SM${crypto.randomUUID().replaceAll('-', '')}`,
      status: 'queued',
      to: form.To,
      from: form.From ?? null,
      body: form.Body,
    })
  })

  return listenOnLoopback(server)
}
