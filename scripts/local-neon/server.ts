// A local stand-in for Neon's SQL-over-HTTP endpoint, so the production driver
// (`neon()` from @neondatabase/serverless, and drizzle-orm/neon-http on top of it) can
// run against PGlite or a plain PostgreSQL server:
//
//   neonConfig.fetchEndpoint = (await startLocalNeon({})).url
//
// Routes: POST /sql (the driver's protocol), GET /stats ({requests}), GET /health.
// Nothing is logged: queries and their parameters may contain secrets.

import type { IncomingMessage, ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Backend } from './backends.ts'
import { Buffer } from 'node:buffer'
import { createServer } from 'node:http'
import { openPGliteBackend } from './pglite-backend.ts'
import { openPostgresBackend } from './postgres-backend.ts'
import { databaseErrorBody, parseSqlRequest, RequestError, resultBody } from './protocol.ts'

export interface LocalNeonOptions {
  /** Use this PostgreSQL server (via a pg pool) instead of embedded PGlite. */
  databaseUrl?: string
  /** PGlite data directory (created if missing); in-memory when omitted. */
  dataDir?: string
  /** 0 (the default) picks a free port. */
  port?: number
  host?: string
}

export interface LocalNeon {
  /** The value for `neonConfig.fetchEndpoint`, e.g. http://127.0.0.1:54321/sql */
  url: string
  origin: string
  /** POST /sql requests received so far; a batch counts once. Also served as GET /stats. */
  requestCount: () => number
  close: () => Promise<void>
}

const MAX_BODY_BYTES = 16 * 1024 * 1024

interface Reply {
  status: number
  body: unknown
  headers?: Record<string, string>
}

export async function startLocalNeon(options: LocalNeonOptions = {}): Promise<LocalNeon> {
  const { databaseUrl, dataDir, port = 0, host = '127.0.0.1' } = options
  const backend = databaseUrl
    ? openPostgresBackend(databaseUrl)
    : await openPGliteBackend(dataDir)
  let requests = 0

  async function route(request: IncomingMessage): Promise<Reply> {
    const { pathname } = new URL(request.url ?? '/', 'http://localhost')
    if (pathname === '/sql') {
      if (request.method !== 'POST')
        return methodNotAllowed('POST')
      requests++
      return handleSql(backend, request)
    }
    if (pathname === '/stats' || pathname === '/health') {
      if (request.method !== 'GET')
        return methodNotAllowed('GET')
      return {
        status: 200,
        body: pathname === '/stats'
          ? { requests }
          : { ok: true },
      }
    }
    return {
      status: 404,
      body: { message: `Not found: ${pathname}` },
    }
  }

  const server = createServer((request, response) => {
    route(request)
      .catch((error: unknown) => errorReply(error))
      .then(reply => send(response, reply))
  })

  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(port, host, () => {
        server.off('error', reject)
        resolve()
      })
    })
  }
  catch (error) {
    await backend.close()
    throw error
  }

  const address = server.address() as AddressInfo
  const hostname = address.family === 'IPv6'
    ? `[${address.address}]`
    : address.address
  const origin = `http://${hostname}:${address.port}`
  let closing: Promise<void> | undefined

  return {
    url: `${origin}/sql`,
    origin,
    requestCount: () => requests,
    close: () => closing ??= new Promise<void>((resolve) => {
      server.close(() => resolve())
      // The driver's fetch keeps connections alive; don't wait for them to time out.
      server.closeAllConnections()
    }).then(() => backend.close()),
  }
}

async function handleSql(backend: Backend, request: IncomingMessage): Promise<Reply> {
  const sqlRequest = parseSqlRequest(await readBody(request), request.headers)
  try {
    if (sqlRequest.kind === 'batch') {
      const results = await backend.batch(sqlRequest.queries, sqlRequest.options)
      return {
        status: 200,
        body: {
          results: results.map(resultBody),
        },
      }
    }
    const { query, params } = sqlRequest.query
    return {
      status: 200,
      body: resultBody(await backend.query(query, params)),
    }
  }
  catch (error) {
    const body = databaseErrorBody(error)
    if (body)
      return { status: 400, body }
    throw error
  }
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length
    if (size > MAX_BODY_BYTES)
      throw new RequestError('Request body too large', 413)
    chunks.push(chunk)
  }
  return Buffer.concat(chunks).toString('utf8')
}

function methodNotAllowed(allow: string): Reply {
  return {
    status: 405,
    body: { message: `Method not allowed; use ${allow}` },
    headers: { allow },
  }
}

function errorReply(error: unknown): Reply {
  if (error instanceof RequestError) {
    return {
      status: error.status,
      body: { message: error.message },
    }
  }
  // Neither a Postgres error nor a bad request: the driver reports it as a server error.
  return {
    status: 500,
    body: {
      message: error instanceof Error
        ? error.message
        : String(error),
    },
  }
}

function send(response: ServerResponse, { status, body, headers }: Reply): void {
  const json = JSON.stringify(body)
  response.writeHead(status, {
    ...headers,
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(json),
  })
  response.end(json)
}
