// The local Neon endpoint, exercised through the production driver
// (@neondatabase/serverless and drizzle-orm/neon-http), on PGlite and, when
// TEST_DATABASE_URL is set, on a real PostgreSQL server.

import type { NeonQueryFunction } from '@neondatabase/serverless'
import type { LocalNeon, LocalNeonOptions } from '../../scripts/local-neon/server.ts'
import { Buffer } from 'node:buffer'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { neon, neonConfig, NeonDbError, types } from '@neondatabase/serverless'
import { sql as drizzleSql } from 'drizzle-orm'
import { drizzle } from 'drizzle-orm/neon-http'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { openPGliteBackend } from '../../scripts/local-neon/pglite-backend.ts'
import { startLocalNeon } from '../../scripts/local-neon/server.ts'

// The endpoint ignores the connection string, but the driver insists on a valid one.
const CONNECTION_STRING = 'postgresql://local:local@localhost/local'
const STARTUP_TIMEOUT = 60_000

const engines: { name: string, options: LocalNeonOptions }[] = [
  { name: 'PGlite', options: {} },
]
if (process.env.TEST_DATABASE_URL) {
  engines.push({
    name: 'PostgreSQL',
    options: { databaseUrl: process.env.TEST_DATABASE_URL },
  })
}

function uniqueName(prefix: string): string {
  return `${prefix}_${process.pid}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`
}

/** Runs `fn` and returns what it threw. */
async function rejection(fn: () => Promise<unknown>): Promise<NeonDbError> {
  try {
    await fn()
  }
  catch (error) {
    expect(error).toBeInstanceOf(NeonDbError)
    return error as NeonDbError
  }
  throw new Error('expected a rejection')
}

describe.each(engines)('local Neon endpoint on $name', ({ options }) => {
  const table = uniqueName('local_neon')
  let endpoint: LocalNeon
  let sql: NeonQueryFunction<false, false>

  beforeAll(async () => {
    endpoint = await startLocalNeon(options)
    neonConfig.fetchEndpoint = endpoint.url
    sql = neon(CONNECTION_STRING)
    await sql.query(`CREATE TABLE ${table} (id int PRIMARY KEY, name text NOT NULL UNIQUE, created_at timestamptz NOT NULL DEFAULT now())`)
  }, STARTUP_TIMEOUT)

  // fetchEndpoint is global to the driver; each engine's suite points it at its own endpoint.
  beforeEach(() => {
    neonConfig.fetchEndpoint = endpoint.url
  })

  afterAll(async () => {
    await sql?.query(`DROP TABLE IF EXISTS ${table}`)
    await endpoint?.close()
  })

  it('round-trips column types to the driver\'s JS values', async () => {
    const text = 'Zoë says "hi", it\'s 🚀 \\ done'
    const [row] = await sql.query(
      `SELECT 42::int4 AS int4, 9007199254740993::int8 AS int8, true AS yes, false AS no,
        $1::text AS text, '2024-01-02T03:04:05.678Z'::timestamptz AS at,
        '{"a": 1, "b": [true, null], "c": "x\\"y"}'::jsonb AS doc,
        'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid AS id, NULL::text AS nothing,
        $2::bytea AS bytes, 1.50::numeric AS amount, ARRAY[1, 2]::int4[] AS list, $3::int4 + 1 AS sum`,
      [
        text,
        Buffer.from([0, 1, 255]),
        41,
      ],
    )
    expect(row).toMatchObject({
      int4: 42,
      int8: '9007199254740993',
      yes: true,
      no: false,
      text,
      doc: {
        a: 1,
        b: [true, null],
        c: 'x"y',
      },
      id: 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11',
      nothing: null,
      amount: '1.50',
      list: [1, 2],
      sum: 42,
    })
    expect(row?.at).toBeInstanceOf(Date)
    expect((row?.at as Date).toISOString()).toBe('2024-01-02T03:04:05.678Z')
    expect([...row?.bytes as Uint8Array]).toEqual([0, 1, 255])
  })

  it('inserts with parameters and reports command, rowCount and fields', async () => {
    const result = await sql.query(
      `INSERT INTO ${table} (id, name, created_at) VALUES ($1, $2, $3), ($4, $5, DEFAULT) RETURNING id, name, created_at`,
      [
        1,
        'one',
        new Date('2024-05-06T07:08:09.000Z'),
        2,
        'two',
      ],
      { fullResults: true },
    )
    expect(result.command).toBe('INSERT')
    expect(result.rowCount).toBe(2)
    expect(result.fields.map(field => [field.name, field.dataTypeID])).toEqual([
      ['id', 23],
      ['name', 25],
      ['created_at', 1184],
    ])
    expect(result.fields[0]?.tableID).toBeGreaterThan(0)
    expect(result.rows[0]).toEqual({
      id: 1,
      name: 'one',
      created_at: new Date('2024-05-06T07:08:09.000Z'),
    })

    const update = await sql.query(`UPDATE ${table} SET name = name || '!' WHERE id > $1`, [0], { fullResults: true })
    expect(update).toMatchObject({
      command: 'UPDATE',
      rowCount: 2,
      rows: [],
      fields: [],
    })
    await sql.query(`DELETE FROM ${table}`)
  })

  it('commits a transaction batch atomically', async () => {
    const results = await sql.transaction([
      sql.query(`INSERT INTO ${table} (id, name) VALUES ($1, $2)`, [10, 'ten']),
      sql.query(`INSERT INTO ${table} (id, name) VALUES ($1, $2) RETURNING id`, [11, 'eleven']),
      sql.query(`SELECT count(*)::int AS n FROM ${table} WHERE id IN (10, 11)`),
    ], { isolationLevel: 'Serializable', readOnly: false, deferrable: false })
    expect(results).toEqual([
      [],
      [
        { id: 11 },
      ],
      [
        { n: 2 },
      ],
    ])
    expect(await sql.query(`SELECT name FROM ${table} WHERE id IN (10, 11) ORDER BY id`)).toEqual([
      { name: 'ten' },
      { name: 'eleven' },
    ])
  })

  it('applies the batch options the driver sends as headers', async () => {
    const [[setting]] = await sql.transaction([sql`SHOW transaction_isolation`], { isolationLevel: 'RepeatableRead' }) as [Record<string, unknown>[]]
    expect(setting).toEqual({ transaction_isolation: 'repeatable read' })

    const error = await rejection(() => sql.transaction(
      [
        sql.query(`INSERT INTO ${table} (id, name) VALUES (20, 'read-only')`),
      ],
      { readOnly: true },
    ))
    expect(error.code).toBe('25006') // read_only_sql_transaction
  })

  it('rolls back the whole batch when a later statement fails', async () => {
    const error = await rejection(() => sql.transaction([
      sql.query(`INSERT INTO ${table} (id, name) VALUES ($1, $2)`, [30, 'thirty']),
      sql.query(`INSERT INTO ${table} (id, name) VALUES ($1, $2)`, [31, null]),
    ]))
    expect(error.code).toBe('23502') // not_null_violation
    expect(error.column).toBe('name')
    expect(await sql.query(`SELECT id FROM ${table} WHERE id IN (30, 31)`)).toEqual([])
  })

  it('surfaces a unique violation with its code and constraint', async () => {
    await sql.query(`INSERT INTO ${table} (id, name) VALUES ($1, $2)`, [40, 'taken'])
    const error = await rejection(() => sql.query(`INSERT INTO ${table} (id, name) VALUES ($1, $2)`, [41, 'taken']))
    expect(error.code).toBe('23505')
    expect(error.constraint).toBe(`${table}_name_key`)
    expect(error.table).toBe(table)
    expect(error.detail).toContain('(name)=(taken)')
    expect(error.message).toContain('duplicate key value violates unique constraint')
  })

  it('reports syntax errors with their position', async () => {
    const error = await rejection(() => sql.query('SELEC 1'))
    expect(error.code).toBe('42601')
    expect(error.position).toBe('1')
  })

  it('answers a statement run before with its table\'s new shape after a schema change, in a batch too', async () => {
    const changing = uniqueName('reshaped')
    await sql.query(`CREATE TABLE ${changing} (id int)`)
    await sql.query(`INSERT INTO ${changing} VALUES (1)`)
    const select = `SELECT * FROM ${changing}`
    expect(await sql.query(select)).toEqual([
      { id: 1 },
    ])
    await sql.query(`ALTER TABLE ${changing} ADD COLUMN label text DEFAULT 'new'`)
    expect(await sql.query(select)).toEqual([
      { id: 1, label: 'new' },
    ])
    await sql.transaction([
      sql.query(`ALTER TABLE ${changing} DROP COLUMN label`),
    ])
    const [rows] = await sql.transaction([
      sql.query(select),
    ])
    expect(rows).toEqual([
      { id: 1 },
    ])
    await sql.query(`DROP TABLE ${changing}`)
  })

  it('runs a statement again after it failed, and after the batch it first ran in was rolled back', async () => {
    const divide = 'SELECT 10 / $1::int AS quotient'
    expect((await rejection(() => sql.query(divide, [0]))).code).toBe('22012') // division_by_zero
    expect(await sql.query(divide, [5])).toEqual([
      { quotient: 2 },
    ])
    const insert = `INSERT INTO ${table} (id, name) VALUES ($1, $2)`
    await rejection(() => sql.transaction([
      sql.query(insert, [50, 'fifty']),
      sql.query(insert, [51, null]),
    ]))
    await sql.query(insert, [50, 'fifty'])
    expect(await sql.query(`SELECT name FROM ${table} WHERE id = 50`)).toEqual([
      { name: 'fifty' },
    ])
  })

  it('works underneath drizzle-orm/neon-http', async () => {
    // Creating a drizzle neon-http instance globally switches the driver's date/time
    // parsers to return raw strings; restore them so other tests see the driver defaults.
    const dateTimeOids = [
      1082, // date
      1114, // timestamp
      1184, // timestamptz
      1186, // interval
      1182, // date[]
      1115, // timestamp[]
      1185, // timestamptz[]
      1187, // interval[]
      1231, // numeric[]
    ]
    const parsers = dateTimeOids.map(oid => [
      oid,
      types.getTypeParser(oid),
    ] as const)
    try {
      const db = drizzle({ client: sql })
      const result = await db.execute(drizzleSql`SELECT ${'drizzle'}::text AS via, 1 AS one, '2024-01-02T03:04:05Z'::timestamptz AS at`)
      expect(result.rows).toEqual([
        { via: 'drizzle', one: 1, at: '2024-01-02 03:04:05+00' },
      ])
    }
    finally {
      for (const [oid, parser] of parsers)
        types.setTypeParser(oid, parser)
    }
  })

  it('counts SQL requests in /stats, a batch counting once', async () => {
    const stats = async () => (await (await fetch(`${endpoint.origin}/stats`)).json()) as { requests: number }
    const before = await stats()
    expect(before.requests).toBe(endpoint.requestCount())

    await sql`SELECT 1`
    await sql.transaction([sql`SELECT 1`, sql`SELECT 2`, sql`SELECT 3`])
    expect(await stats()).toEqual({ requests: before.requests + 2 })
    expect(endpoint.requestCount()).toBe(before.requests + 2)
  })

  it('keeps concurrent batches isolated from each other and from single queries', async () => {
    // Within a transaction txid_current() is constant; interleaving on PGlite's single
    // session would either share a transaction between batches or split one.
    const batch = (id: number) => sql.transaction([
      sql`SELECT txid_current()::text AS tx`,
      sql.query(`INSERT INTO ${table} (id, name) VALUES ($1, $2)`, [id, `batch ${id}`]),
      sql`SELECT txid_current()::text AS tx`,
      // Every third batch fails after its insert, so it must leave no row behind.
      id % 3 === 0
        ? sql`SELECT 1 / 0`
        : sql`SELECT 1`,
    ])
    const ids = Array.from({ length: 12 }, (_, index) => 100 + index)
    const [batches, singles] = await Promise.all([
      Promise.allSettled(ids.map(batch)),
      Promise.all(ids.map(() => sql`SELECT txid_current()::text AS tx`)),
    ])

    const txids: unknown[] = singles.map(([row]) => row?.tx)
    batches.forEach((outcome, index) => {
      if (ids[index]! % 3 === 0) {
        expect(outcome.status).toBe('rejected')
        expect((outcome as PromiseRejectedResult).reason.code).toBe('22012') // division_by_zero
        return
      }
      expect(outcome.status).toBe('fulfilled')
      const [first, , last] = (outcome as PromiseFulfilledResult<Record<string, unknown>[][]>).value
      expect(last?.[0]?.tx).toBe(first?.[0]?.tx)
      txids.push(first?.[0]?.tx)
    })
    expect(new Set(txids).size).toBe(txids.length)

    const rows = await sql.query(`SELECT id FROM ${table} WHERE id >= 100 ORDER BY id`)
    expect(rows.map(row => row.id)).toEqual(ids.filter(id => id % 3 !== 0))
  })

  it('answers malformed requests and unknown routes with JSON errors', async () => {
    const post = (body: string) => fetch(endpoint.url, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json' },
    })

    for (const body of [
      'not json',
      '{}',
      '{"query": 1}',
      '{"queries": [{"params": []}]}',
      '{"query": "SELECT 1", "params": [{}]}',
    ]) {
      const response = await post(body)
      expect(response.status, body).toBe(400)
      expect(await response.json()).toHaveProperty('message')
    }
    const badHeader = await fetch(endpoint.url, {
      method: 'POST',
      body: '{"queries": []}',
      headers: { 'neon-batch-isolation-level': 'Chaos' },
    })
    expect(badHeader.status).toBe(400)

    expect((await fetch(endpoint.url)).status).toBe(405)
    expect((await fetch(`${endpoint.origin}/nope`)).status).toBe(404)
    const health = await fetch(`${endpoint.origin}/health`)
    expect(health.status).toBe(200)
    expect(await health.json()).toEqual({ ok: true })
  })
})

describe('the PGlite backend', () => {
  it('serialises concurrent batches on its single session', async () => {
    // Called directly, batches started in the same tick would interleave statement by
    // statement (over HTTP each request starts in its own tick, which hides that).
    const backend = await openPGliteBackend()
    try {
      const txid = { query: 'SELECT txid_current()::text', params: [] }
      const [batches, singles] = await Promise.all([
        Promise.all(Array.from({ length: 5 }, () => backend.batch([txid, txid, txid], {}))),
        Promise.all(Array.from({ length: 5 }, () => backend.query(txid.query, []))),
      ])
      const txids = singles.map(result => result.rows[0]?.[0])
      for (const results of batches) {
        const ids = results.map(result => result.rows[0]?.[0])
        expect(new Set(ids).size).toBe(1)
        txids.push(ids[0])
      }
      expect(new Set(txids).size).toBe(txids.length)
    }
    finally {
      await backend.close()
    }
  }, STARTUP_TIMEOUT)

  it('keeps answering past the number of statements it keeps parsed', async () => {
    const backend = await openPGliteBackend()
    try {
      for (let n = 0; n < 1_005; n++) {
        expect((await backend.query(`SELECT ${n}::text AS n`, [])).rows).toEqual([
          [
            String(n),
          ],
        ])
      }
      expect((await backend.query('SELECT 0::text AS n', [])).rows).toEqual([
        ['0'],
      ])
    }
    finally {
      await backend.close()
    }
  }, STARTUP_TIMEOUT)
})

describe('local Neon endpoint on PGlite with a data directory', () => {
  let dataDir: string

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'local-neon-'))
  })

  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true })
  })

  it('keeps data across restarts', async () => {
    const directory = join(dataDir, 'nested', 'pgdata')
    const first = await startLocalNeon({ dataDir: directory })
    neonConfig.fetchEndpoint = first.url
    const sql = neon(CONNECTION_STRING)
    await sql`CREATE TABLE kept (value text)`
    await sql`INSERT INTO kept VALUES (${'still here'})`
    await first.close()

    const second = await startLocalNeon({ dataDir: directory })
    try {
      neonConfig.fetchEndpoint = second.url
      expect(await sql`SELECT value FROM kept`).toEqual([
        { value: 'still here' },
      ])
    }
    finally {
      await second.close()
    }
  }, STARTUP_TIMEOUT)
})
