// Property-based: thousands of generated requests to every operation in the OpenAPI document (fitting its schemas,
// and mutations of them), and to paths that do not exist. Whatever a client sends, the answer is never a 5xx, a
// refusal is always problem+json, and a refused request writes nothing, neither to the database nor to KV.
import type { FuzzRequest, OpenApiDocument } from './request-arbitraries'
import { exports } from 'cloudflare:workers'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import committed from '../../openapi.json'
import { BASE_URL, database, signIn } from './helpers'
import { operationsOf, requestTo, strayRequest } from './request-arbitraries'

// The committed document is the served one (docs.test.ts checks that), so operations are known before any request.
const doc = committed as unknown as OpenApiDocument
// About 4,400 requests a run; each run draws a new seed, so runs add up to far more.
const RUNS_PER_OPERATION = 200

interface Answer {
  status: number
  contentType: string | null
  text: string
}

async function send(request: FuzzRequest): Promise<Answer> {
  const response = await exports.default.fetch(new Request(`${BASE_URL}${request.path}`, {
    method: request.method,
    headers: request.headers,
    body: request.body,
  }))
  return {
    status: response.status,
    contentType: response.headers.get('Content-Type'),
    text: await response.text(),
  }
}

/**
 * Counts every row any statement inserts, updates or deletes, in every table of the application but the per-user
 * quotas (a refused profile update still counts against its quota, by design): a refused request must leave the
 * count where it was. Cheaper than comparing whole tables after each of thousands of requests, and
 * stricter (a write that changes nothing visible counts too). This project has a database of its own
 * (vitest.config.ts), so the triggers touch no other test's.
 */
async function countWrites() {
  const sql = database()
  await sql.transaction([
    sql.query('CREATE TABLE fuzz_writes (n bigint NOT NULL)'),
    sql.query('INSERT INTO fuzz_writes VALUES (0)'),
    sql.query(`CREATE FUNCTION fuzz_count_write() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN UPDATE fuzz_writes SET n = n + 1; RETURN NULL; END $$`),
    sql.query(`DO $$ DECLARE t text; BEGIN
      FOR t IN SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename NOT IN ('fuzz_writes', 'user_quotas') LOOP
        EXECUTE format('CREATE TRIGGER fuzz_count_write AFTER INSERT OR UPDATE OR DELETE ON %I FOR EACH ROW EXECUTE FUNCTION fuzz_count_write()', t);
      END LOOP;
    END $$`),
  ])
}

async function writesSoFar(): Promise<number> {
  const [row] = await database().query('SELECT n::int AS n FROM fuzz_writes')
  return row!.n
}

function expectWellFormed(request: FuzzRequest, answer: Answer) {
  const context = `${request.method} ${request.path.slice(0, 200)} → ${answer.status} ${answer.text.slice(0, 300)}`
  expect(answer.status, context).toBeLessThan(500)
  if (answer.status >= 400) {
    expect(answer.contentType, context).toBe('application/problem+json')
    expect(JSON.parse(answer.text), context).toMatchObject({
      type: expect.stringMatching(/^urn:phone-auth:problem:/),
      status: answer.status,
      code: expect.any(String),
    })
  }
}

describe('generated and mutated requests', { timeout: 300_000 }, () => {
  let me: Awaited<ReturnType<typeof signIn>>

  beforeAll(async () => {
    me = await signIn()
    await countWrites()
    // Thousands of requests would each print their access-log line; a 5xx still shows, on console.error.
    vi.spyOn(console, 'log').mockImplementation(() => {})
  })
  afterAll(() => {
    vi.restoreAllMocks()
  })

  async function check(arbitrary: fc.Arbitrary<FuzzRequest>, numRuns: number) {
    let before = await writesSoFar()
    await fc.assert(fc.asyncProperty(arbitrary, async (request) => {
      const answer = await send(request)
      expectWellFormed(request, answer)
      const after = await writesSoFar()
      if (answer.status >= 400)
        expect(after - before, `${request.method} ${request.path} was refused (${answer.status}) but wrote`).toBe(0)
      before = after
    }), { numRuns })
  }

  it('counts writes: the check below would see one', async () => {
    const before = await writesSoFar()
    const saved = await send({
      method: 'PATCH',
      path: '/users/profile/update/',
      headers: { 'Authorization': `Bearer ${me.access}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ first_name: 'Fuzz' }),
    })
    expect(saved.status).toBe(200)
    expect(await writesSoFar()).toBeGreaterThan(before)
  })

  for (const operation of operationsOf(doc)) {
    it(`${operation.method} ${operation.path}: never 5xx, refusals are problem+json and write nothing`, async () => {
      await check(requestTo(doc, operation, me.access), RUNS_PER_OPERATION)
    })
  }

  it('paths and methods no operation has: 404 problem+json, never 5xx', async () => {
    await check(strayRequest, RUNS_PER_OPERATION)
  })
})
