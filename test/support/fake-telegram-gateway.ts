// A stand-in for Telegram Gateway's API at its HTTP boundary: it records every request exactly as our Worker sent
// it, and answers like the Gateway does ({"ok":true,"result":…} or {"ok":false,"error":…}); tests make it fail for
// chosen numbers to exercise the error paths.
import type { LoopbackServer } from './loopback-server.ts'
import { Buffer } from 'node:buffer'
import { createServer } from 'node:http'
import { listenOnLoopback } from './loopback-server.ts'

export interface RecordedGatewayRequest {
  method: string
  path: string
  authorization: string | undefined
  contentType: string | undefined
  json: Record<string, unknown>
}

/**
 * How the fake answers messages to one number: an HTTP status (with `error`, the Gateway's refusal, e.g.
 * PHONE_NUMBER_NOT_AVAILABLE for a number without Telegram), never, or a success status with a body that is not
 * the Gateway's.
 */
export type GatewayFailure = { status: number, error?: string } | { hang: true } | { malformed: true }

export async function startFakeTelegramGateway(): Promise<LoopbackServer> {
  const requests: { to: string, request: RecordedGatewayRequest }[] = []
  const failures = new Map<string, GatewayFailure>()

  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://fake')
    const chunks: Buffer[] = []
    for await (const chunk of req) chunks.push(chunk as Buffer)
    const body = Buffer.concat(chunks).toString('utf8')
    const json = (status: number, value: unknown) => {
      res.writeHead(status, { 'Content-Type': 'application/json' })
      res.end(JSON.stringify(value))
    }

    if (url.pathname === '/__fake/requests' && req.method === 'GET') {
      const to = url.searchParams.get('to')
      return json(200, requests.filter(entry => !to || entry.to === to).map(entry => entry.request))
    }
    if (url.pathname === '/__fake/failures' && req.method === 'POST') {
      const { to, failure } = JSON.parse(body) as { to: string, failure: GatewayFailure | null }
      if (failure)
        failures.set(to, failure)
      else
        failures.delete(to)
      return json(204, null)
    }

    let parsed: Record<string, unknown> = {}
    try {
      parsed = JSON.parse(body) as Record<string, unknown>
    }
    catch {}
    const to = String(parsed.phone_number ?? '')
    requests.push({
      to,
      request: {
        method: req.method ?? '',
        path: url.pathname,
        authorization: req.headers.authorization,
        contentType: req.headers['content-type'],
        json: parsed,
      },
    })
    if (req.headers.authorization !== 'Bearer telegram-test-token')
      return json(401, { ok: false, error: 'ACCESS_TOKEN_INVALID' })
    const failure = failures.get(to)
    if (failure && 'hang' in failure)
      return
    if (failure && 'malformed' in failure) {
      res.writeHead(200, { 'Content-Type': 'text/html' })
      return res.end('<html><body>Bad gateway</body></html>')
    }
    if (failure)
      return json(failure.status, { ok: false, error: failure.error ?? 'INTERNAL_SERVER_ERROR' })
    if (url.pathname !== '/sendVerificationMessage')
      return json(404, { ok: false, error: 'METHOD_NOT_FOUND' })
    json(200, {
      ok: true,
      result: {
        request_id: String(Date.now()) + String(requests.length),
        phone_number: to.replace(/^\+/, ''),
        request_cost: 0.01,
        delivery_status: {
          status: 'sent',
          updated_at: Math.floor(Date.now() / 1000),
        },
      },
    })
  })

  return listenOnLoopback(server)
}
