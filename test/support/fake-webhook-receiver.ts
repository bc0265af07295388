// A stand-in for a product's webhook endpoint. It records every delivery exactly as our Worker sent it and answers
// 200, unless a test scripted other answers for deliveries whose body mentions a given text (a user id, say).
import type { LoopbackServer } from './loopback-server.ts'
import type { RecordedDelivery, ScriptedAnswers } from './webhook-receiver-protocol.ts'
import { Buffer } from 'node:buffer'
import { createServer } from 'node:http'
import { listenOnLoopback } from './loopback-server.ts'

export async function startFakeWebhookReceiver(): Promise<LoopbackServer> {
  const deliveries: RecordedDelivery[] = []
  const scripts: ScriptedAnswers[] = []

  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://fake')
    const chunks: Buffer[] = []
    for await (const chunk of req) chunks.push(chunk as Buffer)
    const body = Buffer.concat(chunks).toString('utf8')
    const json = (status: number, value: unknown) => {
      res.writeHead(status, { 'Content-Type': 'application/json' })
      res.end(JSON.stringify(value))
    }

    // Test controls, namespaced away from the endpoint's path.
    if (url.pathname === '/__fake/deliveries' && req.method === 'GET') {
      const match = url.searchParams.get('match') ?? ''
      return json(200, deliveries.filter(delivery => delivery.body.includes(match)))
    }
    if (url.pathname === '/__fake/script' && req.method === 'POST') {
      scripts.push(JSON.parse(body) as ScriptedAnswers)
      return json(204, null)
    }

    const script = scripts.find(candidate => body.includes(candidate.match))
    const status = script?.statuses.shift() ?? script?.then ?? 200
    deliveries.push({
      path: url.pathname,
      headers: Object.fromEntries(Object.entries(req.headers).map(([name, value]) => [
        name,
        String(value),
      ])),
      body,
      status,
    })
    json(status, { received: status < 300 })
  })

  return listenOnLoopback(server)
}
