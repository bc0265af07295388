// A stand-in for Cloudflare Turnstile's siteverify endpoint at its HTTP boundary: it records each request exactly
// as our Worker sent it. The token decides the answer: "pass…" passes, "down…" fails like an outage (HTTP 500),
// anything else is a token Turnstile does not accept.
import type { LoopbackServer } from './loopback-server.ts'
import { Buffer } from 'node:buffer'
import { createServer } from 'node:http'
import { listenOnLoopback } from './loopback-server.ts'

export interface RecordedSiteverify {
  path: string
  contentType: string | undefined
  form: Record<string, string>
}

export type FakeTurnstile = LoopbackServer

export async function startFakeTurnstile(): Promise<FakeTurnstile> {
  const requests: RecordedSiteverify[] = []
  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://fake')
    const chunks: Buffer[] = []
    for await (const chunk of req) chunks.push(chunk as Buffer)
    const json = (status: number, value: unknown) => {
      res.writeHead(status, { 'Content-Type': 'application/json' })
      res.end(JSON.stringify(value))
    }
    if (url.pathname === '/__fake/requests')
      return json(200, requests)

    const form = Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString('utf8')))
    requests.push({ path: url.pathname, contentType: req.headers['content-type'], form })
    if (url.pathname !== '/turnstile/v0/siteverify' || req.method !== 'POST') {
      return json(404, {
        'success': false,
        'error-codes': ['not-found'],
      })
    }
    if (form.response?.startsWith('down')) {
      return json(500, {
        'success': false,
        'error-codes': ['internal-error'],
      })
    }
    return form.response?.startsWith('pass')
      ? json(200, {
          'success': true,
          'challenge_ts': new Date().toISOString(),
          'hostname': 'phone-auth.test',
          'error-codes': [],
        })
      : json(200, {
          'success': false,
          'error-codes': ['invalid-input-response'],
        })
  })
  return listenOnLoopback(server)
}
