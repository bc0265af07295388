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
const RUNS_PER_OPERATION = 400

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

/** Everything a request could have written to the database: row counts and sums, and the fuzzing user's row. */
async function storedState(userId: string) {
  const [row] = await database().query(`
    SELECT (SELECT count(*)::int FROM users) AS users, (SELECT coalesce(sum(points), 0)::int FROM users) AS points,
      (SELECT count(*)::int FROM users WHERE inviter_id IS NOT NULL) AS referrals,
      (SELECT count(*)::int FROM refresh_tokens) AS sessions, (SELECT count(*)::int FROM refresh_tokens WHERE revoked_at IS NOT NULL) AS revoked,
      (SELECT count(*)::int FROM points_ledger) AS ledger, (SELECT md5(u::text) FROM users u WHERE id = $1) AS me`, [userId])
  return row
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
    // Thousands of requests would each print their access-log line; a 5xx still shows, on console.error.
    vi.spyOn(console, 'log').mockImplementation(() => {})
  })
  afterAll(() => {
    vi.restoreAllMocks()
  })

  async function check(arbitrary: fc.Arbitrary<FuzzRequest>, numRuns: number) {
    let before = await storedState(me.user.id)
    await fc.assert(fc.asyncProperty(arbitrary, async (request) => {
      const answer = await send(request)
      expectWellFormed(request, answer)
      const after = await storedState(me.user.id)
      if (answer.status >= 400)
        expect(after, `${request.method} ${request.path} was refused (${answer.status}) but wrote`).toEqual(before)
      before = after
    }), { numRuns })
  }

  for (const operation of operationsOf(doc)) {
    it(`${operation.method} ${operation.path}: never 5xx, refusals are problem+json and write nothing`, async () => {
      await check(requestTo(doc, operation, me.access), RUNS_PER_OPERATION)
    })
  }

  it('paths and methods no operation has: 404 problem+json, never 5xx', async () => {
    await check(strayRequest, RUNS_PER_OPERATION)
  })
})
