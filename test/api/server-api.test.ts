import type { ApiResponse } from './helpers'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { TEST_SERVER_KEYS } from '../support/server-keys'
import { api, captureLogs, database, signIn, uniquePhone } from './helpers'

type KeyName = keyof typeof TEST_SERVER_KEYS

afterEach(() => {
  vi.restoreAllMocks()
})

function server(method: string, path: string, options: { key?: KeyName | null, body?: unknown, idempotencyKey?: string } = {}): Promise<ApiResponse> {
  const key = options.key === undefined
    ? TEST_SERVER_KEYS.full.key
    : options.key && TEST_SERVER_KEYS[options.key].key
  return api(method, `/server/v1${path}`, {
    body: options.body,
    headers: {
      ...(key
        ? { Authorization: `Bearer ${key}` }
        : {}),
      ...(options.idempotencyKey === undefined
        ? {}
        : { 'Idempotency-Key': options.idempotencyKey }),
    },
  })
}

function transact(userId: string, body: unknown, idempotencyKey: string = crypto.randomUUID(), key?: KeyName): Promise<ApiResponse> {
  return server('POST', `/users/${userId}/points/transactions/`, { body, idempotencyKey, key })
}

async function ledgerRows(userId: string): Promise<{ rows: number, sum: number, points: number }> {
  const [row] = await database().query(`
    SELECT (SELECT count(*)::int FROM points_ledger WHERE user_id = $1) AS rows,
           (SELECT coalesce(sum(amount), 0)::int FROM points_ledger WHERE user_id = $1) AS sum,
           (SELECT points FROM users WHERE id = $1) AS points`, [userId])
  return row as { rows: number, sum: number, points: number }
}

describe('server API authentication', () => {
  it('refuses a call without a key, with an unknown key, and with a user\'s access token', async () => {
    const me = await signIn()
    const missing = await server('GET', `/users/${me.user.id}/`, { key: null })
    expect(missing.status).toBe(401)
    expect(missing.body.code).toBe('invalid_server_key')
    expect(missing.headers.get('WWW-Authenticate')).toContain('realm="phone-auth-server"')
    const unknown = await api('GET', `/server/v1/users/${me.user.id}/`, {
      headers: { Authorization: 'Bearer pae_sk_not-a-configured-key' },
    })
    expect(unknown.status).toBe(401)
    const userToken = await api('GET', `/server/v1/users/${me.user.id}/`, { token: me.access })
    expect(userToken.status).toBe(401)
    expect(userToken.body.code).toBe('invalid_server_key')
    expect(userToken.body).not.toHaveProperty('phone_number')
  })

  it('refuses a server key on the user endpoints', async () => {
    for (const [method, path] of [
      ['GET', '/users/profile/'],
      ['GET', '/users/profile/referrals/'],
      ['PATCH', '/users/profile/update/'],
    ] as const) {
      const response = await api(method, path, {
        token: TEST_SERVER_KEYS.full.key,
        body: method === 'PATCH'
          ? { first_name: 'X' }
          : undefined,
      })
      expect(response.status, `${method} ${path}`).toBe(401)
      expect(response.body.code).toBe('unauthenticated')
    }
  })

  it('refuses a key without the operation\'s scope with 403, and changes nothing', async () => {
    const me = await signIn()
    const write = await transact(me.user.id, { amount: 10, reason: 'adjustment' }, undefined, 'reader')
    expect(write.status).toBe(403)
    expect(write.body.code).toBe('insufficient_scope')
    expect((await ledgerRows(me.user.id)).rows).toBe(0)
    const read = await server('GET', `/users/${me.user.id}/`, { key: 'writer' })
    expect(read.status).toBe(403)
    expect(read.body.detail).toContain('users:read')
  })

  it('logs every call with the key\'s name, never the key', async () => {
    const me = await signIn()
    const logs = captureLogs()
    expect((await server('GET', `/users/${me.user.id}/`, { key: 'reader' })).status).toBe(200)
    expect((await server('GET', `/users/${me.user.id}/`, { key: 'writer' })).status).toBe(403)
    const lines = logs.requestLines()
    expect(lines.map(line => line.server_key)).toEqual(['reader', 'writer'])
    expect(logs.lines.join('\n')).not.toContain(TEST_SERVER_KEYS.reader.key)
  })
})

describe('gET /server/v1/users/…', () => {
  it('shows a user by id and by phone number (any formatting), with points and inviter', async () => {
    const [inviter, invitee] = [await signIn(), await signIn()]
    expect((await api('PATCH', '/users/profile/update/', {
      token: invitee.access,
      body: { inviter_referral_code: inviter.user.referral_code },
    })).status).toBe(200)
    const byId = await server('GET', `/users/${invitee.user.id}/`)
    expect(byId.status).toBe(200)
    expect(byId.body).toMatchObject({
      id: invitee.user.id,
      phone_number: invitee.phone,
      points: 100,
      inviter_id: inviter.user.id,
      inviter_referral_code: inviter.user.referral_code,
      referrals_count: 0,
      created_at: expect.stringMatching(/Z$/),
    })
    const spaced = `${invitee.phone.slice(0, 2)} (${invitee.phone.slice(2, 5)}) ${invitee.phone.slice(5)}`
    const byPhone = await server('GET', `/users/?phone_number=${encodeURIComponent(spaced)}`)
    expect(byPhone.status).toBe(200)
    expect(byPhone.body).toEqual(byId.body)
    expect((await server('GET', `/users/${inviter.user.id}/`)).body).toMatchObject({ points: 200, referrals_count: 1, inviter_id: null })
  })

  it('answers 404 for an unknown id or number, and 400 naming a malformed one', async () => {
    expect((await server('GET', `/users/${crypto.randomUUID()}/`)).body.code).toBe('unknown_user')
    const unknownPhone = await server('GET', `/users/?phone_number=${encodeURIComponent(uniquePhone())}`)
    expect(unknownPhone.status).toBe(404)
    const badId = await server('GET', '/users/not-a-uuid/')
    expect(badId.status).toBe(400)
    expect(badId.body.errors).toEqual([
      { path: 'id', message: 'A user id is a UUID' },
    ])
    const badPhone = await server('GET', '/users/?phone_number=12345')
    expect(badPhone.status).toBe(400)
    expect(badPhone.body.errors[0].path).toBe('phone_number')
    expect((await server('GET', '/users/')).status).toBe(400)
  })
})

describe('pOST /server/v1/users/{id}/points/transactions/', () => {
  it('credits and debits with a ledger row each, which the ledger shows newest first and which sums to the balance', async () => {
    const me = await signIn()
    const credit = await transact(me.user.id, { amount: 500, reason: 'adjustment', reference: 'welcome bonus' })
    expect(credit.status).toBe(200)
    expect(credit.body).toMatchObject({
      id: expect.any(String),
      amount: 500,
      reason: 'adjustment',
      reference: 'welcome bonus',
      balance_after: 500,
      invitee_id: null,
    })
    const debit = await transact(me.user.id, { amount: -120, reason: 'redemption' })
    expect(debit.body).toMatchObject({
      amount: -120,
      reason: 'redemption',
      reference: null,
      balance_after: 380,
    })
    expect((await server('GET', `/users/${me.user.id}/`)).body.points).toBe(380)
    const ledger = await server('GET', `/users/${me.user.id}/points/ledger/`)
    expect(ledger.status).toBe(200)
    expect(ledger.body).toEqual({
      entries: [debit.body, credit.body],
      next_cursor: null,
    })
    expect(await ledgerRows(me.user.id)).toEqual({ rows: 2, sum: 380, points: 380 })
  })

  it('refuses a debit below zero with 409 insufficient_points and writes nothing', async () => {
    const me = await signIn()
    expect((await transact(me.user.id, { amount: 50, reason: 'adjustment' })).status).toBe(200)
    const overdraw = await transact(me.user.id, { amount: -51, reason: 'redemption' })
    expect(overdraw.status).toBe(409)
    expect(overdraw.body.code).toBe('insufficient_points')
    expect(await ledgerRows(me.user.id)).toEqual({ rows: 1, sum: 50, points: 50 })
  })

  it('50 parallel debits of 30 against 1,000 points: exactly 33 succeed and the balance never goes below zero', async () => {
    const me = await signIn()
    expect((await transact(me.user.id, { amount: 1000, reason: 'adjustment' })).status).toBe(200)
    const results = await Promise.all(Array.from({ length: 50 }, () => transact(me.user.id, { amount: -30, reason: 'redemption' })))
    expect(results.filter(result => result.status === 200)).toHaveLength(33)
    expect(results.filter(result => result.status === 409)).toHaveLength(17)
    expect(await ledgerRows(me.user.id)).toEqual({ rows: 34, sum: 10, points: 10 })
  })

  it('replays the first result for a repeated Idempotency-Key and body, without a second write', async () => {
    const me = await signIn()
    const key = `"${crypto.randomUUID()}"`
    const body = { amount: 70, reason: 'adjustment', reference: 'ticket-1' }
    const first = await transact(me.user.id, body, key)
    expect(first.status).toBe(200)
    expect(first.headers.get('Idempotent-Replayed')).toBeNull()
    expect((await transact(me.user.id, { amount: 5, reason: 'adjustment' })).status).toBe(200)
    const again = await transact(me.user.id, body, key)
    expect(again.status).toBe(200)
    expect(again.headers.get('Idempotent-Replayed')).toBe('true')
    expect(again.body).toEqual(first.body)
    expect(await ledgerRows(me.user.id)).toEqual({ rows: 2, sum: 75, points: 75 })
  })

  it('replays one write to 10 parallel requests with one new key', async () => {
    const me = await signIn()
    const key = crypto.randomUUID()
    const results = await Promise.all(Array.from({ length: 10 }, () => transact(me.user.id, { amount: 40, reason: 'adjustment' }, key)))
    expect(results.map(result => result.status)).toEqual(Array.from({ length: 10 }).fill(200))
    expect(new Set(results.map(result => result.body.id)).size).toBe(1)
    expect(await ledgerRows(me.user.id)).toEqual({ rows: 1, sum: 40, points: 40 })
  })

  it('scopes an Idempotency-Key to its user: the same key for another user is another transaction', async () => {
    const [a, b] = [await signIn(), await signIn()]
    const key = crypto.randomUUID()
    const body = { amount: 15, reason: 'adjustment' }
    const [forA, forB] = [await transact(a.user.id, body, key), await transact(b.user.id, body, key)]
    expect([forA.status, forB.status]).toEqual([200, 200])
    expect(forB.body.id).not.toBe(forA.body.id)
    expect(forB.headers.get('Idempotent-Replayed')).toBeNull()
    expect(await ledgerRows(b.user.id)).toEqual({ rows: 1, sum: 15, points: 15 })
  })

  it('refuses the same key with another body with 422, and writes nothing', async () => {
    const me = await signIn()
    const key = crypto.randomUUID()
    expect((await transact(me.user.id, { amount: 30, reason: 'adjustment' }, key)).status).toBe(200)
    const reused = await transact(me.user.id, { amount: 31, reason: 'adjustment' }, key)
    expect(reused.status).toBe(422)
    expect(reused.body.code).toBe('idempotency_key_reused')
    expect(await ledgerRows(me.user.id)).toEqual({ rows: 1, sum: 30, points: 30 })
  })

  it('refuses a missing Idempotency-Key, bad amounts and reasons with 400 naming the field, and an unknown user with 404', async () => {
    const me = await signIn()
    const noKey = await server('POST', `/users/${me.user.id}/points/transactions/`, {
      body: { amount: 1, reason: 'adjustment' },
    })
    expect(noKey.status).toBe(400)
    expect(noKey.body.errors[0].path).toBe('idempotency-key')
    for (const [body, path] of [
      [
        { amount: 0, reason: 'adjustment' },
        'amount',
      ],
      [
        { amount: 1.5, reason: 'adjustment' },
        'amount',
      ],
      [
        { amount: '10', reason: 'adjustment' },
        'amount',
      ],
      [
        { amount: 10, reason: 'referral_inviter' },
        'reason',
      ],
      [
        {
          amount: 10,
          reason: 'adjustment',
          reference: 'x'.repeat(201),
        },
        'reference',
      ],
      [
        {
          amount: 10,
          reason: 'adjustment',
          reference: 'order\u00001',
        },
        'reference',
      ],
      [
        { amount: 10, reason: 'adjustment', extra: true },
        'extra',
      ],
    ] as const) {
      const response = await transact(me.user.id, body)
      expect(response.status, JSON.stringify(body)).toBe(400)
      expect(response.body.errors[0].path).toBe(path)
    }
    expect((await transact(crypto.randomUUID(), { amount: 10, reason: 'adjustment' })).body.code).toBe('unknown_user')
    expect((await ledgerRows(me.user.id)).rows).toBe(0)
  })
})

describe('gET /server/v1/users/{id}/points/ledger/', () => {
  it('pages through the ledger with a cursor, newest first, each row once', async () => {
    const me = await signIn()
    for (let i = 1; i <= 5; i++)
      expect((await transact(me.user.id, { amount: i, reason: 'adjustment', reference: `r${i}` })).status).toBe(200)
    const references: string[] = []
    let cursor = ''
    let pages = 0
    do {
      const page = await server('GET', `/users/${me.user.id}/points/ledger/?limit=2&cursor=${cursor}`)
      expect(page.status).toBe(200)
      references.push(...page.body.entries.map((entry: { reference: string }) => entry.reference))
      cursor = page.body.next_cursor ?? ''
      pages++
    } while (cursor)
    expect(references).toEqual(['r5', 'r4', 'r3', 'r2', 'r1'])
    expect(pages).toBe(3)
  })

  it('refuses a cursor it did not issue and answers 404 for an unknown user', async () => {
    const me = await signIn()
    const bad = await server('GET', `/users/${me.user.id}/points/ledger/?cursor=bm90LWEtY3Vyc29y`)
    expect(bad.status).toBe(400)
    expect(bad.body.errors[0].path).toBe('cursor')
    expect((await server('GET', `/users/${crypto.randomUUID()}/points/ledger/`)).status).toBe(404)
  })
})
