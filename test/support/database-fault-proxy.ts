// A controllable stand-in for the network between the Worker and its database: it forwards the Neon protocol to the
// local SQL endpoint untouched until a test tells it to fail. Only the "faults" test project's Worker talks through
// it; the Worker's code and configuration are the production ones, just pointed at this address.
//
//   none   forward every request as is
//   down   the port is closed: connections are refused, as when the endpoint is unreachable
//   slow   hold each request for `delayMs` before forwarding it (past the Worker's DB_TIMEOUT_MS)
//   error  answer HTTP 500 without forwarding, as an overloaded proxy does
//   postgres-error  answer as Neon reports an error Postgres raised (HTTP 400, its SQLSTATE in `code`), for
//          `sqlState`; the statement never runs
//
// The control API is on its own port, so it answers while the data port is down: POST /fault {mode, delayMs?, sqlState?}.
// Setting a mode waits until every request already held or forwarded has finished, so a test that sets `none`
// and then reads the database sees everything a timed-out statement did.
import type { IncomingMessage, Server, ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { DatabaseFault } from './database-fault.ts'
import { Buffer } from 'node:buffer'
import { createServer } from 'node:http'
import { setTimeout as sleep } from 'node:timers/promises'

export interface DatabaseFaultProxy {
  /** The value for the Worker's LOCAL_SQL_ENDPOINT. */
  url: string
  /** Where tests POST /fault. */
  controlOrigin: string
  close: () => Promise<void>
}

// Headers that describe one connection, not the request; fetch sets its own.
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'transfer-encoding',
  'content-length',
  'host',
])

export async function startDatabaseFaultProxy(target: string): Promise<DatabaseFaultProxy> {
  let fault: DatabaseFault = { mode: 'none' }
  const inFlight = new Set<Promise<void>>()

  const data = createServer((request, response) => {
    const handled = handle(request, response).catch(() => {
      response.destroy()
    })
    inFlight.add(handled)
    void handled.finally(() => inFlight.delete(handled))
  })

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const body = await readBody(request)
    const current = fault
    if (current.mode === 'error') {
      response.writeHead(500, { 'content-type': 'application/json' })
      response.end(JSON.stringify({ message: 'injected fault: upstream unavailable' }))
      return
    }
    if (current.mode === 'postgres-error') {
      response.writeHead(400, { 'content-type': 'application/json' })
      response.end(JSON.stringify({ message: `injected fault: SQLSTATE ${current.sqlState}`, severity: 'FATAL', code: current.sqlState }))
      return
    }
    if (current.mode === 'slow')
      await sleep(current.delayMs ?? 2_000)
    const headers = Object.fromEntries(Object.entries(request.headers).filter(([name]) => !HOP_BY_HOP.has(name))) as Record<string, string>
    const forwarded = await fetch(new URL(request.url ?? '/', target), {
      method: request.method,
      headers,
      body: request.method === 'GET' || request.method === 'HEAD'
        ? undefined
        : body.toString('utf8'),
    })
    const answer = Buffer.from(await forwarded.arrayBuffer())
    if (response.destroyed)
      return // the Worker gave up waiting; the statement ran all the same
    response.writeHead(forwarded.status, { 'content-type': forwarded.headers.get('content-type') ?? 'application/json' })
    response.end(answer)
  }

  const dataPort = await listen(data, 0)

  const control = createServer((request, response) => {
    void (async () => {
      const body = await readBody(request)
      if (request.url !== '/fault' || request.method !== 'POST') {
        response.writeHead(404).end()
        return
      }
      const next = JSON.parse(body.toString('utf8')) as DatabaseFault
      const wasDown = fault.mode === 'down'
      fault = next
      if (next.mode === 'down' && !wasDown) {
        await new Promise<void>((resolve) => {
          data.close(() => resolve())
          data.closeAllConnections()
        })
      }
      if (next.mode !== 'down' && wasDown)
        await listen(data, dataPort)
      await Promise.allSettled([...inFlight])
      response.writeHead(204).end()
    })()
  })
  const controlPort = await listen(control, 0)

  return {
    url: `http://127.0.0.1:${dataPort}/sql`,
    controlOrigin: `http://127.0.0.1:${controlPort}`,
    close: async () => {
      for (const server of [data, control]) {
        server.closeAllConnections()
        await new Promise<void>(resolve => server.close(() => resolve()))
      }
    },
  }
}

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = []
  for await (const chunk of request as AsyncIterable<Buffer>)
    chunks.push(chunk)
  return Buffer.concat(chunks)
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject)
      resolve((server.address() as AddressInfo).port)
    })
  })
}
