// The database side of the benchmark: the local Neon-protocol endpoint (scripts/local-neon) on embedded PGlite, or
// on a scratch database of the PostgreSQL server in BENCH_DATABASE_URL; and a recording proxy in front of it that
// keeps the statements the Worker sends, so each hot query can be EXPLAINed with its real parameters.
import type { NeonQueryFunction } from '@neondatabase/serverless'
import type { IncomingMessage } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Buffer } from 'node:buffer'
import { createServer } from 'node:http'
import { neon, neonConfig } from '@neondatabase/serverless'
import { startLocalNeon } from '../scripts/local-neon/server.ts'
import { applyMigrations } from '../scripts/migrate.ts'
import { createTestDatabase } from '../test/support/test-database.ts'

export const PLACEHOLDER_DATABASE_URL = 'postgresql://bench:bench@localhost/bench'

export interface BenchDatabase {
  engine: string
  /** The Neon-protocol endpoint, for the Worker's LOCAL_SQL_ENDPOINT. */
  url: string
  sql: NeonQueryFunction<false, false>
  /** Database round trips (POST /sql) the endpoint has served, from its GET /stats. */
  roundTrips: () => Promise<number>
  close: () => Promise<void>
}

export async function openBenchDatabase(serverUrl: string | undefined): Promise<BenchDatabase> {
  const scratch = await createTestDatabase(serverUrl)
  const endpoint = await startLocalNeon({ databaseUrl: scratch.url })
  await applyMigrations({ localSqlEndpoint: endpoint.url })
  neonConfig.fetchEndpoint = endpoint.url
  const sql = neon(PLACEHOLDER_DATABASE_URL)
  const [{ version }] = await sql.query('SELECT version()') as [{ version: string }]
  return {
    engine: serverUrl
      ? `PostgreSQL server (${version.split(' ').slice(0, 2).join(' ')})`
      : `PGlite, embedded (${version.split(' ').slice(0, 2).join(' ')})`,
    url: endpoint.url,
    sql,
    async roundTrips() {
      const response = await fetch(`${endpoint.origin}/stats`)
      return ((await response.json()) as { requests: number }).requests
    },
    async close() {
      await endpoint.close()
      await scratch.drop()
    },
  }
}

export interface RecordedQuery {
  label: string
  query: string
  params: unknown[]
}

export interface RecordingProxy {
  url: string
  /** Statements from now on are recorded under this label (the endpoint being exercised). */
  label: (label: string) => void
  recorded: RecordedQuery[]
  close: () => Promise<void>
}

/** Forwards the driver's requests to `target` unchanged and keeps each statement (single or batched). */
export async function startRecordingProxy(target: string): Promise<RecordingProxy> {
  const recorded: RecordedQuery[] = []
  let current = 'unlabelled'
  const server = createServer((request, response) => {
    void (async () => {
      const body = await readBody(request)
      const parsed = JSON.parse(body) as { query?: string, params?: unknown[], queries?: { query: string, params: unknown[] }[] }
      for (const statement of parsed.queries ?? [parsed as { query: string, params: unknown[] }])
        recorded.push({ label: current, query: statement.query, params: statement.params ?? [] })
      const headers = new Headers()
      for (const [name, value] of Object.entries(request.headers)) {
        if (typeof value === 'string' && name !== 'host' && name !== 'content-length')
          headers.set(name, value)
      }
      const answer = await fetch(target, { method: 'POST', headers, body })
      response.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' })
      response.end(Buffer.from(await answer.arrayBuffer()))
    })().catch((error: unknown) => {
      response.writeHead(502, { 'content-type': 'application/json' })
      response.end(JSON.stringify({
        message: String(error),
      }))
    })
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}/sql`,
    label: (label) => { current = label },
    recorded,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve())
      server.closeAllConnections()
    }),
  }
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of request as AsyncIterable<Buffer>)
    chunks.push(chunk)
  return Buffer.concat(chunks).toString('utf8')
}
