import type { ApiResponse, SignedIn } from './helpers'
import { describe, expect, it } from 'vitest'
import { TEST_SERVER_KEYS } from '../support/server-keys'
import { api, database, runCron, signIn, uniquePhone, withSettings } from './helpers'
import { WebClient, webSignIn } from './web-helpers'

const qualifyingEvent = withSettings({ REFERRAL_REWARD_ON: 'qualifying_event' })

function activate(invitee: SignedIn, inviter: SignedIn, env?: Env): Promise<ApiResponse> {
  return api('PATCH', '/users/profile/update/', {
    token: invitee.access,
    body: { inviter_referral_code: inviter.user.referral_code },
    env,
  })
}

const profile = (user: SignedIn, env?: Env) => api('GET', '/users/profile/', { token: user.access, env })

function settle(invitee: SignedIn, action: 'qualify' | 'void', options: { body?: unknown, idempotencyKey?: string, key?: keyof typeof TEST_SERVER_KEYS, token?: string } = {}): Promise<ApiResponse> {
  return api('POST', `/server/v1/users/${invitee.user.id}/referral/${action}/`, {
    body: options.body ?? (action === 'void'
      ? { reason: 'order refunded' }
      : undefined),
    headers: {
      ...(options.token
        ? {}
        : { Authorization: `Bearer ${TEST_SERVER_KEYS[options.key ?? 'full'].key}` }),
      'Idempotency-Key': options.idempotencyKey ?? crypto.randomUUID(),
    },
    token: options.token,
  })
}

/** The user's balance, what their ledger sums to, and their pending rewards as the ledger has them. */
async function books(user: SignedIn): Promise<{ points: number, ledger: number, pending: number }> {
  const [row] = await database().query(`
    SELECT u.points,
      (SELECT coalesce(sum(amount), 0)::int FROM points_ledger WHERE user_id = u.id) AS ledger,
      (SELECT coalesce(sum(award), 0)::int FROM points_ledger WHERE user_id = u.id AND state = 'pending') AS pending
    FROM users u WHERE u.id = $1`, [user.user.id])
  return row as { points: number, ledger: number, pending: number }
}

/** The referral's two reward rows, invitee's first. */
async function rewardRows(invitee: SignedIn) {
  return database().query(`
    SELECT reason, state, amount, award, void_reason FROM points_ledger
    WHERE invitee_id = $1 ORDER BY reason`, [invitee.user.id])
}

/** An inviter and an invitee who has activated their code, under `env` (the suite's settings without). */
async function referral(env?: Env): Promise<[SignedIn, SignedIn]> {
  const [inviter, invitee] = [await signIn(), await signIn()]
  const activated = await activate(invitee, inviter, env)
  expect(activated.status, JSON.stringify(activated.body)).toBe(200)
  return [inviter, invitee]
}

describe('the seed\'s rules (no referral variable set)', () => {
  it('pay both rewards at activation, and profiles show neither pending points nor reward states', async () => {
    const [inviter, invitee] = await referral()
    const shown = (await profile(inviter)).body
    expect(shown.points).toBe(200)
    expect(shown).not.toHaveProperty('pending_points')
    expect(shown.referrals[0]).not.toHaveProperty('state')
    expect(await rewardRows(invitee)).toEqual([
      {
        reason: 'referral_invitee',
        state: 'paid',
        amount: 100,
        award: 100,
        void_reason: null,
      },
      {
        reason: 'referral_inviter',
        state: 'paid',
        amount: 200,
        award: 200,
        void_reason: null,
      },
    ])
  })

  it('answer a qualification with the paid referral and change nothing, and refuse a void', async () => {
    const [inviter, invitee] = await referral()
    const qualified = await settle(invitee, 'qualify')
    expect(qualified.status).toBe(200)
    expect(qualified.body).toEqual({
      invitee_id: invitee.user.id,
      inviter_id: inviter.user.id,
      activated_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      flags: [],
      invitee_reward: { state: 'paid', points: 100, void_reason: null },
      inviter_reward: { state: 'paid', points: 200, void_reason: null },
    })
    const voided = await settle(invitee, 'void')
    expect(voided.status).toBe(409)
    expect(voided.body.code).toBe('referral_already_paid')
    expect(await books(inviter)).toEqual({ points: 200, ledger: 200, pending: 0 })
  })
})

describe('rEFERRAL_REWARD_ON=qualifying_event', () => {
  it('links invitee and inviter at once but holds both rewards as pending, out of the balance', async () => {
    const [inviter, invitee] = await referral(qualifyingEvent)
    const inviteeProfile = (await profile(invitee, qualifyingEvent)).body
    expect(inviteeProfile).toMatchObject({ inviter_referral_code: inviter.user.referral_code, points: 0, pending_points: 100 })
    const inviterProfile = (await profile(inviter, qualifyingEvent)).body
    expect(inviterProfile).toMatchObject({ points: 0, pending_points: 200, referrals_count: 1 })
    expect(inviterProfile.referrals[0].state).toBe('pending')
    expect(await books(invitee)).toEqual({ points: 0, ledger: 0, pending: 100 })
    expect(await books(inviter)).toEqual({ points: 0, ledger: 0, pending: 200 })
    // Pending rewards are not spendable: a debit against them is refused.
    const debit = await api('POST', `/server/v1/users/${inviter.user.id}/points/transactions/`, {
      headers: {
        'Authorization': `Bearer ${TEST_SERVER_KEYS.full.key}`,
        'Idempotency-Key': crypto.randomUUID(),
      },
      body: { amount: -50, reason: 'redemption' },
    })
    expect(debit.status).toBe(409)
  })

  it('pays both rewards on qualification, once, however often it is asked', async () => {
    const [inviter, invitee] = await referral(qualifyingEvent)
    const key = crypto.randomUUID()
    const qualified = await settle(invitee, 'qualify', { idempotencyKey: key })
    expect(qualified.status, JSON.stringify(qualified.body)).toBe(200)
    expect(qualified.headers.get('Idempotent-Replayed')).toBeNull()
    expect(qualified.body).toEqual({
      invitee_id: invitee.user.id,
      inviter_id: inviter.user.id,
      activated_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      flags: [],
      invitee_reward: { state: 'paid', points: 100, void_reason: null },
      inviter_reward: { state: 'paid', points: 200, void_reason: null },
    })
    const replayed = await settle(invitee, 'qualify', { idempotencyKey: key })
    expect(replayed.status).toBe(200)
    expect(replayed.headers.get('Idempotent-Replayed')).toBe('true')
    expect(replayed.body).toEqual(qualified.body)
    const again = await settle(invitee, 'qualify')
    expect(again.status).toBe(200)
    expect(again.body).toEqual(qualified.body)
    expect(await books(invitee)).toEqual({ points: 100, ledger: 100, pending: 0 })
    expect(await books(inviter)).toEqual({ points: 200, ledger: 200, pending: 0 })
    const inviterProfile = (await profile(inviter, qualifyingEvent)).body
    expect(inviterProfile).toMatchObject({ points: 200, pending_points: 0 })
    expect(inviterProfile.referrals[0].state).toBe('paid')
    const ledger = await api('GET', `/server/v1/users/${inviter.user.id}/points/ledger/`, {
      headers: { Authorization: `Bearer ${TEST_SERVER_KEYS.full.key}` },
    })
    expect(ledger.body.entries).toEqual([
      expect.objectContaining({
        reason: 'referral_inviter',
        state: 'paid',
        amount: 200,
        award: 200,
        balance_after: 200,
      }),
    ])
  })

  it('10 parallel qualifications of one referral pay it exactly once', async () => {
    const [inviter, invitee] = await referral(qualifyingEvent)
    const results = await Promise.all(Array.from({ length: 10 }, () => settle(invitee, 'qualify')))
    expect(results.map(result => result.status)).toEqual(Array.from({ length: 10 }).fill(200))
    expect(await books(invitee)).toEqual({ points: 100, ledger: 100, pending: 0 })
    expect(await books(inviter)).toEqual({ points: 200, ledger: 200, pending: 0 })
  })

  it('voids both pending rewards with the reason, keeping them in the ledger, and then refuses to qualify them', async () => {
    const [inviter, invitee] = await referral(qualifyingEvent)
    const voided = await settle(invitee, 'void', {
      body: { reason: 'order refunded' },
    })
    expect(voided.status, JSON.stringify(voided.body)).toBe(200)
    expect(voided.body).toMatchObject({
      invitee_reward: { state: 'voided', points: 100, void_reason: 'order refunded' },
      inviter_reward: { state: 'voided', points: 200, void_reason: 'order refunded' },
    })
    expect(await rewardRows(invitee)).toEqual([
      {
        reason: 'referral_invitee',
        state: 'voided',
        amount: 0,
        award: 100,
        void_reason: 'order refunded',
      },
      {
        reason: 'referral_inviter',
        state: 'voided',
        amount: 0,
        award: 200,
        void_reason: 'order refunded',
      },
    ])
    const refused = await settle(invitee, 'qualify')
    expect(refused.status).toBe(409)
    expect(refused.body.code).toBe('referral_voided')
    expect((await settle(invitee, 'void')).status).toBe(200)
    expect(await books(invitee)).toEqual({ points: 0, ledger: 0, pending: 0 })
    expect(await books(inviter)).toEqual({ points: 0, ledger: 0, pending: 0 })
    expect((await profile(inviter, qualifyingEvent)).body.referrals[0].state).toBe('voided')
  })

  it('refuses to void a qualified referral, and changes nothing', async () => {
    const [inviter, invitee] = await referral(qualifyingEvent)
    expect((await settle(invitee, 'qualify')).status).toBe(200)
    const refused = await settle(invitee, 'void')
    expect(refused.status).toBe(409)
    expect(refused.body.code).toBe('referral_already_paid')
    expect(await books(inviter)).toEqual({ points: 200, ledger: 200, pending: 0 })
    expect((await rewardRows(invitee)).map(row => row.state)).toEqual(['paid', 'paid'])
  })

  it('refuses an Idempotency-Key used for another request with 422, and writes nothing', async () => {
    const [inviter, invitee] = await referral(qualifyingEvent)
    const key = crypto.randomUUID()
    expect((await settle(invitee, 'void', {
      idempotencyKey: key,
      body: { reason: 'fraud review' },
    })).status).toBe(200)
    const reused = await settle(invitee, 'void', {
      idempotencyKey: key,
      body: { reason: 'another reason' },
    })
    expect(reused.status).toBe(422)
    expect(reused.body.code).toBe('idempotency_key_reused')
    expect((await settle(invitee, 'qualify', { idempotencyKey: key })).status).toBe(422)
    expect(await books(inviter)).toEqual({ points: 0, ledger: 0, pending: 0 })
  })

  it('the web profile shows pending rewards with a one-line reason, and the referral\'s state, in English and Russian', async () => {
    // The inviter signs in on the web too, moments after their first code: no resend cooldown.
    const settings = withSettings({ REFERRAL_REWARD_ON: 'qualifying_event', OTP_RESEND_SECONDS: '0' })
    for (const [language, confirmation, reason, state] of [
      [
        'en',
        'your points are pending',
        '100 points wait for your first qualifying action, and are dropped after 30 days without it.',
        'reward pending',
      ],
      [
        'ru',
        'баллы ожидают начисления',
        '100 баллов ждут вашего первого целевого действия и сгорят, если его не будет 30 дней.',
        'награда ожидает',
      ],
    ] as const) {
      const inviter = await signIn()
      const web = await webSignIn(uniquePhone(), new WebClient(undefined, { 'Accept-Language': language }, settings))
      const activated = await web.post('/users/web/profile/referral/', { inviter_referral_code: inviter.user.referral_code })
      expect(activated.status).toBe(303)
      const page = await web.get(activated.location!)
      expect(page.html).toContain(confirmation)
      expect(page.html).toContain('<dd class="points">0</dd>')
      expect(page.html).toContain(reason)
      const inviterWeb = new WebClient(undefined, { 'Accept-Language': language }, settings)
      await webSignIn(inviter.phone, inviterWeb)
      expect((await inviterWeb.get('/users/web/profile/')).html).toContain(state)
    }
  })

  it('voids pending rewards older than REFERRAL_PENDING_DAYS in the hourly cron, and keeps younger ones pending', async () => {
    const [, old] = await referral(qualifyingEvent)
    const [, young] = await referral(qualifyingEvent)
    await database().query(`UPDATE points_ledger SET created_at = now() - interval '31 days' WHERE invitee_id = $1`, [old.user.id])
    await runCron({ env: qualifyingEvent })
    expect((await rewardRows(old)).map(row => [row.state, row.void_reason])).toEqual([
      ['voided', 'expired'],
      ['voided', 'expired'],
    ])
    expect((await rewardRows(young)).map(row => row.state)).toEqual(['pending', 'pending'])
    expect((await settle(old, 'qualify')).body.code).toBe('referral_voided')
    expect((await settle(young, 'qualify')).status).toBe(200)
  })

  it('answers 404 for a user who never activated a code or does not exist, 400 naming a bad reason, 401 to a user token, 403 without points:write', async () => {
    const [, invitee] = await referral(qualifyingEvent)
    const loner = await signIn()
    const none = await settle(loner, 'qualify')
    expect(none.status).toBe(404)
    expect(none.body.code).toBe('no_referral')
    const unknown = await api('POST', `/server/v1/users/${crypto.randomUUID()}/referral/qualify/`, {
      headers: { 'Authorization': `Bearer ${TEST_SERVER_KEYS.full.key}`, 'Idempotency-Key': 'k' },
    })
    expect(unknown.body.code).toBe('unknown_user')
    for (const body of [
      {},
      { reason: '' },
      { reason: 'a\u0000b' },
      {
        reason: 'x'.repeat(201),
      },
      { reason: 'ok', extra: 1 },
    ]) {
      const bad = await settle(invitee, 'void', { body })
      expect(bad.status, JSON.stringify(body)).toBe(400)
      expect(bad.body.code).toBe('validation_failed')
    }
    const missingKey = await api('POST', `/server/v1/users/${invitee.user.id}/referral/qualify/`, {
      headers: { Authorization: `Bearer ${TEST_SERVER_KEYS.full.key}` },
    })
    expect(missingKey.status).toBe(400)
    expect((await settle(invitee, 'qualify', { token: invitee.access })).status).toBe(401)
    const reader = await settle(invitee, 'qualify', { key: 'reader' })
    expect(reader.status).toBe(403)
    expect((await rewardRows(invitee)).map(row => row.state)).toEqual(['pending', 'pending'])
  })
})

describe('rEFERRAL_INVITER_MAX_PER_DAY / _PER_MONTH', () => {
  it('records the inviter\'s reward past the daily cap as capped with 0 points, and still pays the invitee', async () => {
    const capped = withSettings({ REFERRAL_INVITER_MAX_PER_DAY: '2' })
    const inviter = await signIn()
    const invitees = [await signIn(), await signIn(), await signIn()]
    for (const invitee of invitees)
      expect((await activate(invitee, inviter, capped)).status).toBe(200)
    expect(await books(inviter)).toEqual({ points: 400, ledger: 400, pending: 0 })
    expect(await books(invitees[2]!)).toEqual({ points: 100, ledger: 100, pending: 0 })
    expect(await rewardRows(invitees[2]!)).toEqual([
      {
        reason: 'referral_invitee',
        state: 'paid',
        amount: 100,
        award: 100,
        void_reason: null,
      },
      {
        reason: 'referral_inviter',
        state: 'capped',
        amount: 0,
        award: 0,
        void_reason: null,
      },
    ])
    const shown = (await profile(inviter, capped)).body
    expect(shown.referrals.map((r: { state: string }) => r.state)).toEqual(['capped', 'paid', 'paid'])
    expect(shown.pending_points).toBe(0)
  })

  it('applies the monthly cap as well', async () => {
    const capped = withSettings({ REFERRAL_INVITER_MAX_PER_MONTH: '1' })
    const inviter = await signIn()
    const [first, second] = [await signIn(), await signIn()]
    expect((await activate(first, inviter, capped)).status).toBe(200)
    expect((await activate(second, inviter, capped)).status).toBe(200)
    expect((await rewardRows(second)).map(row => row.state)).toEqual(['paid', 'capped'])
    expect(await books(inviter)).toEqual({ points: 200, ledger: 200, pending: 0 })
  })

  it('50 parallel activations of one code with a cap of 10: exactly 10 inviter rewards, 40 capped, every invitee paid', { timeout: 60_000 }, async () => {
    const capped = withSettings({ REFERRAL_INVITER_MAX_PER_DAY: '10' })
    const inviter = await signIn()
    const invitees: SignedIn[] = []
    while (invitees.length < 50)
      invitees.push(...await Promise.all(Array.from({ length: 10 }, () => signIn())))
    const results = await Promise.all(invitees.map(invitee => activate(invitee, inviter, capped)))
    expect(results.map(result => result.status)).toEqual(Array.from({ length: 50 }).fill(200))
    const [states] = await database().query(`
      SELECT count(*) FILTER (WHERE state = 'paid')::int AS paid, count(*) FILTER (WHERE state = 'capped')::int AS capped
      FROM points_ledger WHERE user_id = $1 AND reason = 'referral_inviter'`, [inviter.user.id])
    expect(states).toEqual({ paid: 10, capped: 40 })
    expect(await books(inviter)).toEqual({ points: 2_000, ledger: 2_000, pending: 0 })
    for (const invitee of invitees.slice(0, 5))
      expect((await books(invitee)).points).toBe(100)
  })

  it('with a qualifying event, a capped inviter reward stays capped when the referral is qualified', async () => {
    const rules = withSettings({ REFERRAL_REWARD_ON: 'qualifying_event', REFERRAL_INVITER_MAX_PER_DAY: '0' })
    const [inviter, invitee] = await referral(rules)
    expect((await rewardRows(invitee)).map(row => row.state)).toEqual(['pending', 'capped'])
    const qualified = await settle(invitee, 'qualify')
    expect(qualified.body).toMatchObject({
      invitee_reward: { state: 'paid', points: 100 },
      inviter_reward: { state: 'capped', points: 0 },
    })
    expect(await books(invitee)).toEqual({ points: 100, ledger: 100, pending: 0 })
    expect(await books(inviter)).toEqual({ points: 0, ledger: 0, pending: 0 })
  })
})
