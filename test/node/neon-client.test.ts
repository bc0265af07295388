import type { LocalNeon } from '../../scripts/local-neon/server.ts'
// The Worker speaks Neon's SQL-over-HTTP protocol itself (src/db/client.ts), without @neondatabase/serverless and
// drizzle's session, to keep them out of the bundle. These tests hold it to the official driver: the same requests
// to Neon's endpoint (Neon's cloud is out of reach, so they are checked at its HTTP boundary), and the same rows and
// errors from the same database for every kind of value the statements use.
import type { Config } from '../../src/config.ts'
import type { Database } from '../../src/db/client.ts'
import { neon, neonConfig, NeonDbError } from '@neondatabase/serverless'
import { sql } from 'drizzle-orm'
import { drizzle } from 'drizzle-orm/neon-http'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { startLocalNeon } from '../../scripts/local-neon/server.ts'
import { createDatabase } from '../../src/db/client.ts'

const NEON_URL = 'postgresql://app:secret@ep-quiet-lake-123456.eu-central-1.aws.neon.tech/phone_auth?sslmode=require'

function ourClient(databaseUrl: string, localSqlEndpoint?: string): Database {
  return createDatabase({ DATABASE_URL: databaseUrl, LOCAL_SQL_ENDPOINT: localSqlEndpoint, DB_TIMEOUT_MS: 5_000 } as Config)
}

/** The official driver under drizzle, as the Worker used it before. */
function officialClient(databaseUrl: string) {
  return drizzle({
    client: neon(databaseUrl),
  })
}

interface SentRequest {
  url: string
  method: string
  headers: Record<string, string>
  body: { query: string, params: unknown[] }
}

/** Catches what a client sends to Neon and answers with an empty result, as Neon's endpoint would. */
function recordRequests(): SentRequest[] {
  const sent: SentRequest[] = []
  vi.stubGlobal('fetch', async (input: string | URL | Request, init?: RequestInit) => {
    const request = new Request(input, init)
    const headers: Record<string, string> = {}
    request.headers.forEach((value, name) => {
      if (name.startsWith('neon-'))
        headers[name] = value
    })
    sent.push({
      url: request.url,
      method: request.method,
      headers,
      body: await request.json(),
    })
    return Response.json({
      command: 'SELECT',
      rowCount: 0,
      rows: [],
      fields: [],
      rowAsArray: true,
    })
  })
  return sent
}

describe('requests to Neon\'s endpoint', () => {
  afterEach(() => {
    vi.unstubAllGlobals()
  })

  it('go where the driver sends them, with the same protocol headers and statement', async () => {
    const sent = recordRequests()
    neonConfig.fetchEndpoint = undefined as unknown as string
    const statement = sql`SELECT ${'+79123456789'}::text AS phone, ${42} AS n`
    await officialClient(NEON_URL).execute(statement)
    await ourClient(NEON_URL).execute(statement)

    const [official, ours] = sent
    expect(ours!.url).toBe('https://api.eu-central-1.aws.neon.tech/sql')
    expect(ours!.url).toBe(official!.url)
    expect(ours!.method).toBe('POST')
    // The driver adds its own package as application_name; the Worker sends the connection string as configured.
    const withoutApplicationName = (headers: Record<string, string>) => ({
      ...headers,
      'neon-connection-string': headers['neon-connection-string']!.replace(/&application_name=[^&]*/, ''),
    })
    expect(ours!.headers).toEqual(withoutApplicationName(official!.headers))
    expect(ours!.headers['neon-connection-string']).toBe(NEON_URL)
    expect(ours!.body).toEqual(official!.body)
  })
})

describe('results and errors, against the driver on the same database', () => {
  let endpoint: LocalNeon
  const CONNECTION = 'postgresql://local:local@localhost/local'

  beforeAll(async () => {
    endpoint = await startLocalNeon({ databaseUrl: process.env.TEST_DATABASE_URL })
    neonConfig.fetchEndpoint = endpoint.url
  }, 60_000)
  afterAll(async () => {
    await endpoint.close()
  })

  const when = new Date('2026-11-26T10:20:30.456Z')
  const statements = [
    sql`SELECT 1::int2 AS small, 2147483647::int4 AS int, 9007199254740993::int8 AS big, 1.5::float8 AS float, 12.30::numeric AS money`,
    sql`SELECT true AS yes, false AS no, NULL::text AS nothing, ''::text AS empty`,
    sql`SELECT ${'it\'s "quoted", ünïcode, 电话'}::text AS text, ${'a\\b'}::text AS backslash`,
    sql`SELECT ${when}::timestamptz AS at, '2026-11-26 10:20:30.456789+00'::timestamptz AS stored, now() - now() AS span`,
    sql`SELECT '{"a": [1, "two", null]}'::jsonb AS jsonb, json_build_object('n', 1, 'ok', true) AS json, ${JSON.stringify({ k: 'v' })}::jsonb AS param`,
    sql`SELECT gen_random_uuid() IS NOT NULL AS made, '0b9c3f4e-5d6a-4b7c-8d9e-0f1a2b3c4d5e'::uuid AS id`,
    sql`SELECT ARRAY[1, 2] AS ints, ARRAY['a', 'b c', 'd"e', 'f\\g', NULL, 'NULL', ''] AS texts, '{}'::int[] AS none`,
    sql`SELECT ARRAY[[1, 2], [3, 4]] AS nested, ARRAY[true, false] AS flags, ARRAY[1.5, 2]::float8[] AS floats`,
    sql`SELECT ARRAY['{"a":1}'::jsonb, '[2]'::jsonb] AS jsonbs, ARRAY[9007199254740993::int8] AS bigs, ARRAY[1.10]::numeric[] AS amounts`,
    sql`SELECT ARRAY['0b9c3f4e-5d6a-4b7c-8d9e-0f1a2b3c4d5e'::uuid] AS ids, ARRAY['2026-11-26 10:20:30+00'::timestamptz] AS times`,
    sql`SELECT '[0:1]={7,8}'::int[] AS shifted`,
    sql`SELECT x FROM generate_series(1, ${3}) AS x WHERE x IN (${sql.join([1, 3].map(n => sql`${n}`), sql`, `)})`,
    sql`SELECT ${null}::int AS missing, ${true}::bool AS flag, ${7}::int AS seven`,
  ]

  it('gives the same rows as the driver for every type the statements use', async () => {
    const official = officialClient(CONNECTION)
    const ours = ourClient(CONNECTION, endpoint.url)
    for (const statement of statements) {
      const expected = await official.execute(statement)
      const actual = await ours.execute(statement)
      expect(actual.rows).toEqual(expected.rows)
      expect(actual.rowCount).toBe(expected.rowCount)
    }
  })

  it('reports Postgres errors with the driver\'s SQLSTATE and constraint, which the storage layer reads', async () => {
    const table = `neon_client_${process.pid}_${Date.now()}`
    const ours = ourClient(CONNECTION, endpoint.url)
    await ours.execute(sql.raw(`CREATE TABLE ${table} (id int CONSTRAINT ${table}_pk PRIMARY KEY)`))
    await ours.execute(sql.raw(`INSERT INTO ${table} VALUES (1)`))
    const duplicate = sql.raw(`INSERT INTO ${table} VALUES (1)`)

    const expected = await officialClient(CONNECTION).execute(duplicate).catch((error: unknown) => error) as { cause?: NeonDbError } & NeonDbError
    const actual = await ours.execute(duplicate).catch((error: unknown) => error) as NeonDbError
    // drizzle wraps the driver's error in its own, with the driver's as the cause.
    const driverError = expected.cause ?? expected
    expect(driverError).toBeInstanceOf(NeonDbError)
    expect(actual.code).toBe('23505')
    expect(actual.code).toBe(driverError.code)
    expect(actual.constraint).toBe(driverError.constraint)
    await ours.execute(sql.raw(`DROP TABLE ${table}`))
  })
})
