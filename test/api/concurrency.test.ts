import type { ApiResponse, SignedIn } from './helpers'
import { describe, expect, it } from 'vitest'
import { api, database, lastCodeSentTo, signIn, uniquePhone, withSettings } from './helpers'

const update = (token: string, body: unknown, env?: Env) => api('PATCH', '/users/profile/update/', { token, body, env })
const statusCounts = (results: { status: number }[]) => results.reduce<Record<number, number>>((counts, { status }) => ({ ...counts, [status]: (counts[status] ?? 0) + 1 }), {})

/** Signs in `count` new users, a batch at a time: the races under test are the activations, not the sign-ins. */
async function signInMany(count: number): Promise<SignedIn[]> {
  const users: SignedIn[] = []
  while (users.length < count) {
    users.push(...await Promise.all(Array.from({
      length: Math.min(10, count - users.length),
    }, () => signIn())))
  }
  return users
}

/** Users whose balance differs from the sum of their ledger rows; always none. */
async function balancesOffTheirLedger(): Promise<number> {
  const [row] = await database().query(`
    SELECT count(*)::int AS off FROM users u
    WHERE u.points <> coalesce((SELECT sum(amount) FROM points_ledger WHERE user_id = u.id), 0)`)
  return row!.off
}

/** Polls `check` until it holds; a forced interleaving that never forms is a failure, not a hang. */
async function until(what: string, check: () => Promise<boolean>) {
  for (const started = Date.now(); !await check();) {
    if (Date.now() - started > 10_000)
      throw new Error(`timed out waiting for ${what}`)
    await new Promise(resolve => setTimeout(resolve, 20))
  }
}

/** Statements of this test database waiting for a lock another transaction holds. */
async function lockWaiters(): Promise<number> {
  const [row] = await database().query(`
    SELECT count(*)::int AS waiting FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`)
  return row!.waiting
}

/**
 * Sends `requests` one after another into a queue behind a transaction that holds `userId`'s row lock, and lets them
 * go only once every one of their statements waits there: each has taken its snapshot before any of them commits,
 * the interleaving that a lucky race would produce. PGlite is one session that runs statements one at a time, so
 * there no statement can see another half-way and the requests simply run in the order given.
 */
async function queuedBehindRowLock(userId: string, requests: (() => Promise<ApiResponse>)[]): Promise<ApiResponse[]> {
  const sql = database()
  const [{ version }] = await sql.query('SELECT version()') as [{ version: string }]
  if (version.includes('PGlite')) {
    const results: ApiResponse[] = []
    for (const request of requests)
      results.push(await request())
    return results
  }
  const marker = `lock holder ${crypto.randomUUID()}`
  const holderIsSleeping = async () => (await sql.query(`SELECT 1 FROM pg_stat_activity WHERE query LIKE '%' || $1 || '%'`, [marker])).length > 0
  const holder = sql.transaction([
    sql.query('SELECT id FROM users WHERE id = $1 FOR UPDATE', [userId]),
    sql.query(`SELECT pg_sleep(30) /* ${marker} */`),
  ]).catch(() => 'cancelled')
  await until('the lock holder', holderIsSleeping)
  const pending: Promise<ApiResponse>[] = []
  for (const request of requests) {
    pending.push(request())
    await until(`${pending.length} statement(s) waiting for the lock`, async () => await lockWaiters() === pending.length)
  }
  await sql.query(`SELECT pg_cancel_backend(pid) FROM pg_stat_activity WHERE query LIKE '%' || $1 || '%' AND pid <> pg_backend_pid()`, [marker])
  expect(await holder).toBe('cancelled')
  return Promise.all(pending)
}

describe('racing requests', { timeout: 60_000 }, () => {
  it('200 invitees activating one inviter\'s code at once: 200 × 200 points to the inviter, 100 to each, all in the ledger', async () => {
    const inviter = await signIn()
    const invitees = await signInMany(200)
    const results = await Promise.all(invitees.map(invitee => update(invitee.access, { inviter_referral_code: inviter.user.referral_code })))
    expect(statusCounts(results)).toEqual({ 200: 200 })

    const [paid] = await database().query(`
      SELECT u.points, (SELECT sum(amount)::int FROM points_ledger WHERE user_id = u.id) AS ledger,
        (SELECT count(*)::int FROM users WHERE inviter_id = u.id) AS referrals
      FROM users u WHERE u.id = $1`, [inviter.user.id])
    expect(paid).toEqual({ points: 40_000, ledger: 40_000, referrals: 200 })
    const rewarded = await database().query('SELECT points FROM users WHERE id = ANY($1::uuid[])', [
      invitees.map(invitee => invitee.user.id),
    ])
    expect(rewarded).toHaveLength(200)
    expect(rewarded.every(row => row.points === 100)).toBe(true)
    expect(await balancesOffTheirLedger()).toBe(0)
  })

  it('one user firing 50 activations with 50 different codes at once: exactly one succeeds, 49 are 409, one inviter is paid', async () => {
    const inviters = await signInMany(50)
    const invitee = await signIn()
    // The race in the database is the point here, not the per-user quota that would stop most of these first.
    const settings = withSettings({ REFERRAL_ACTIVATIONS_PER_HOUR: '50' })
    const results = await Promise.all(inviters.map(inviter => update(invitee.access, { inviter_referral_code: inviter.user.referral_code }, settings)))
    expect(statusCounts(results)).toEqual({ 200: 1, 409: 49 })
    expect(results.filter(result => result.status === 409).every(result => result.body.code === 'referral_already_activated')).toBe(true)

    const paid = await database().query('SELECT id, points FROM users WHERE id = ANY($1::uuid[]) AND points > 0', [
      inviters.map(inviter => inviter.user.id),
    ])
    expect(paid).toHaveLength(1)
    expect(paid[0]!.points).toBe(200)
    const winner = inviters.find(inviter => inviter.user.id === paid[0]!.id)!
    expect((await api('GET', '/users/profile/', { token: invitee.access })).body).toMatchObject({ points: 100, inviter_referral_code: winner.user.referral_code })
    expect(await balancesOffTheirLedger()).toBe(0)
  })

  it('pairs of users activating each other\'s codes at the same instant: at most one of each pair succeeds, no cycle is stored', async () => {
    const users = await signInMany(20)
    const pairs = Array.from({ length: 10 }, (_, i) => [users[2 * i]!, users[2 * i + 1]!] as const)
    const results = await Promise.all(pairs.map(([a, b]) => Promise.all([
      update(a.access, { inviter_referral_code: b.user.referral_code }),
      update(b.access, { inviter_referral_code: a.user.referral_code }),
    ])))
    for (const pair of results) {
      expect(pair.map(result => result.status).sort()).toEqual([200, 409])
      expect(pair.find(result => result.status === 409)!.body.code).toBe('referral_cycle')
    }
    const [cycles] = await database().query(`
      SELECT count(*)::int AS cycles FROM users a JOIN users b ON a.inviter_id = b.id AND b.inviter_id = a.id`)
    expect(cycles!.cycles).toBe(0)
  })

  // B was invited by A. "A activates C's code" and "C activates B's code" would close the loop A → C → B → A; each
  // statement alone sees no loop in its snapshot, so each must see what the other committed while it waited.
  it.each([
    ['A\'s activation first', false],
    ['C\'s activation first', true],
  ])('two activations that would close a loop through a third user, queued together (%s): one succeeds, the other is refused as a cycle', async (_, reversed) => {
    const [a, b, c] = await signInMany(3) as [SignedIn, SignedIn, SignedIn]
    expect((await update(b.access, { inviter_referral_code: a.user.referral_code })).status).toBe(200)
    const activations = [
      () => update(a.access, { inviter_referral_code: c.user.referral_code }),
      () => update(c.access, { inviter_referral_code: b.user.referral_code }),
    ]
    const results = await queuedBehindRowLock(c.user.id, reversed
      ? activations.toReversed()
      : activations)
    expect(results.map(result => result.status).sort()).toEqual([200, 409])
    expect(results.find(result => result.status === 409)!.body.code).toBe('referral_cycle')
    const [loop] = await database().query(`
      SELECT count(*)::int AS closed FROM users WHERE id = ANY($1::uuid[]) AND inviter_id IS NOT NULL`, [
      [a.user.id, b.user.id, c.user.id],
    ])
    expect(loop!.closed).toBe(2)
  })

  describe('20 parallel verifications of one new number with the right code', () => {
    async function verifyAtOnce() {
      const phone = uniquePhone()
      expect((await api('POST', '/users/auth/send_sms/', {
        body: { phone_number: phone },
      })).status).toBe(202)
      const code = await lastCodeSentTo(phone)
      const results = await Promise.all(Array.from({ length: 20 }, () => api('POST', '/users/auth/verify_sms/', {
        body: { phone_number: phone, sms_code: code },
      })))
      return { phone, results }
    }

    // The losers are told the code is used up, or, past OTP_MAX_ATTEMPTS, that it has had all its attempts.
    it('create exactly one user, and every other answer refuses the code', async () => {
      const { phone, results } = await verifyAtOnce()
      expect(results.every(result => result.status === 200 || (result.status === 400 && ['invalid_sms_code', 'sms_code_attempts_exceeded'].includes(result.body.code)))).toBe(true)
      expect(results.filter(result => result.body.is_new_user === true)).toHaveLength(1)
      const rows = await database().query('SELECT count(*)::int AS users FROM users WHERE phone_number = $1', [phone])
      expect(rows[0]!.users).toBe(1)
    })

    // KV alone could not do this (no delete-if-present); the number's Durable Object marks the code used.
    it('sign in exactly once: the code is single-use even under a race', async () => {
      const { results } = await verifyAtOnce()
      expect(statusCounts(results)).toEqual({ 200: 1, 400: 19 })
    })
  })
})
