import { describe, expect, it } from 'vitest'
import { api, countRoundTrips, database, signIn, withSettings } from './helpers'

const profile = (token: string) => api('GET', '/users/profile/', { token })
const update = (token: string, body: unknown, env?: Env) => api('PATCH', '/users/profile/update/', { token, body, env })

async function ledgerMatchesBalances(userIds: string[]) {
  const rows = await database().query(`
    SELECT u.id, u.points, coalesce(sum(l.amount), 0)::int AS ledger
    FROM users u LEFT JOIN points_ledger l ON l.user_id = u.id
    WHERE u.id = ANY($1::uuid[]) GROUP BY u.id`, [userIds])
  for (const row of rows)
    expect(row.points, `balance of ${row.id} equals its ledger`).toBe(row.ledger)
}

describe('gET /users/profile/', () => {
  it('shows the signed-in user with an empty referral list', async () => {
    const me = await signIn()
    const response = await profile(me.access)
    expect(response.status).toBe(200)
    expect(response.body).toEqual({
      ...me.user,
      referrals_count: 0,
      referrals: [],
      referrals_next_cursor: null,
    })
  })

  it('costs one database round trip', async () => {
    const me = await signIn()
    const { result, roundTrips } = await countRoundTrips(() => profile(me.access))
    expect(result.status).toBe(200)
    expect(roundTrips).toBe(1)
  })

  it('answers 401 with a Bearer challenge without a token, with a malformed header, or with a forged token', async () => {
    const me = await signIn()
    const [header, payload] = me.access.split('.')
    const forged = `${header}.${payload}.${'A'.repeat(86)}`
    const attempts: Record<string, string>[] = [
      {},
      { Authorization: 'Basic dXNlcjpwYXNz' },
      { Authorization: `Bearer ${forged}` },
      { Authorization: 'Bearer' },
    ]
    for (const headers of attempts) {
      const response = await api('GET', '/users/profile/', { headers })
      expect(response.status).toBe(401)
      expect(response.headers.get('WWW-Authenticate')).toMatch(/^Bearer realm="phone-auth"/)
      expect(response.headers.get('Content-Type')).toBe('application/problem+json')
      expect(response.body).toMatchObject({ status: 401, code: 'unauthenticated' })
    }
  })

  it('answers 401 once the account is gone', async () => {
    const me = await signIn()
    await database().query('DELETE FROM users WHERE id = $1', [me.user.id])
    const response = await profile(me.access)
    expect(response.status).toBe(401)
    expect(response.body.code).toBe('user_not_found')
  })
})

describe('pATCH /users/profile/update/ — profile fields', () => {
  it('updates only the fields given and returns the whole profile', async () => {
    const me = await signIn()
    const first = await update(me.access, { first_name: '  Ivan ', email: 'ivan@example.com' })
    expect(first.status).toBe(200)
    expect(first.body).toMatchObject({
      first_name: 'Ivan',
      last_name: '',
      email: 'ivan@example.com',
      points: 0,
      referrals: [],
    })
    const second = await update(me.access, { last_name: 'Петров' })
    expect(second.body).toMatchObject({ first_name: 'Ivan', last_name: 'Петров', email: 'ivan@example.com' })
    expect((await profile(me.access)).body).toEqual(second.body)
  })

  it('removes the email when given null', async () => {
    const me = await signIn()
    await update(me.access, { email: 'ivan@example.com' })
    const response = await update(me.access, { email: null })
    expect(response.body.email).toBeNull()
  })

  it('stores SQL-looking text verbatim', async () => {
    const me = await signIn()
    const name = `Robert'); DROP TABLE users;--`
    const response = await update(me.access, { first_name: name })
    expect(response.status).toBe(200)
    expect(response.body.first_name).toBe(name)
  })

  it('costs one database round trip', async () => {
    const me = await signIn()
    const { result, roundTrips } = await countRoundTrips(() => update(me.access, { first_name: 'Anna' }))
    expect(result.status).toBe(200)
    expect(roundTrips).toBe(1)
  })

  it.each([
    [
      'an invalid email',
      { email: 'not-an-email' },
      'email',
    ],
    [
      'a name over 150 characters',
      {
        first_name: 'x'.repeat(151),
      },
      'first_name',
    ],
    [
      'a name with control characters',
      { last_name: 'a\u0000b' },
      'last_name',
    ],
    [
      'a name that is not a string',
      { first_name: 42 },
      'first_name',
    ],
    [
      'an unknown field',
      { firstname: 'Ivan' },
      'firstname',
    ],
    [
      'a referral code of the wrong shape',
      { inviter_referral_code: 'TOO-LONG-CODE' },
      'inviter_referral_code',
    ],
  ])('refuses %s with a 400 naming the field, and changes nothing', async (_, body, path) => {
    const me = await signIn()
    const response = await update(me.access, {
      ...body,
      ...(path === 'first_name'
        ? {}
        : { first_name: 'Changed' }),
    })
    expect(response.status).toBe(400)
    expect(response.body.errors).toContainEqual({
      path,
      message: expect.any(String),
    })
    expect((await profile(me.access)).body.first_name).toBe('')
  })

  it('needs a valid access token', async () => {
    const response = await api('PATCH', '/users/profile/update/', {
      body: { first_name: 'x' },
    })
    expect(response.status).toBe(401)
    expect(response.headers.get('WWW-Authenticate')).toContain('Bearer')
  })
})

describe('pATCH /users/profile/update/ — referral activation', () => {
  it('credits the invitee +100 and the inviter +200, links them, and lists the invitee (masked) on the inviter\'s profile', async () => {
    const inviter = await signIn()
    const invitee = await signIn()
    await update(invitee.access, { first_name: 'Anna', last_name: 'Smirnova' })

    const activated = await update(invitee.access, { inviter_referral_code: inviter.user.referral_code })
    expect(activated.status).toBe(200)
    expect(activated.body).toMatchObject({ inviter_referral_code: inviter.user.referral_code, points: 100, first_name: 'Anna' })

    const inviterProfile = (await profile(inviter.access)).body
    expect(inviterProfile.points).toBe(200)
    expect(inviterProfile.referrals_count).toBe(1)
    expect(inviterProfile.referrals).toEqual([
      {
        first_name: 'Anna',
        last_name: 'Smirnova',
        phone_number: `${invitee.phone.slice(0, 5)}*****${invitee.phone.slice(-2)}`,
        joined_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      },
    ])
    expect(JSON.stringify(inviterProfile)).not.toContain(invitee.phone)

    const ledger = await database().query('SELECT user_id, amount, reason, invitee_id FROM points_ledger WHERE invitee_id = $1 ORDER BY amount', [invitee.user.id])
    expect(ledger).toEqual([
      {
        user_id: invitee.user.id,
        amount: 100,
        reason: 'referral_invitee',
        invitee_id: invitee.user.id,
      },
      {
        user_id: inviter.user.id,
        amount: 200,
        reason: 'referral_inviter',
        invitee_id: invitee.user.id,
      },
    ])
    await ledgerMatchesBalances([inviter.user.id, invitee.user.id])
  })

  it('pays the inviter +200 for every invitee', async () => {
    const inviter = await signIn()
    for (let i = 0; i < 3; i++) {
      const invitee = await signIn()
      expect((await update(invitee.access, { inviter_referral_code: inviter.user.referral_code })).status).toBe(200)
    }
    const body = (await profile(inviter.access)).body
    expect(body.points).toBe(600)
    expect(body.referrals_count).toBe(3)
    expect(body.referrals).toHaveLength(3)
    expect(body.referrals_next_cursor).toBeNull()
  })

  it('accepts the code in any letter case and with surrounding spaces', async () => {
    const inviter = await signIn()
    const invitee = await signIn()
    const response = await update(invitee.access, { inviter_referral_code: ` ${inviter.user.referral_code.toLowerCase()} ` })
    expect(response.status).toBe(200)
    expect(response.body.inviter_referral_code).toBe(inviter.user.referral_code)
  })

  it('activates and edits fields together in one database round trip', async () => {
    const inviter = await signIn()
    const invitee = await signIn()
    const { result, roundTrips } = await countRoundTrips(() => update(invitee.access, { inviter_referral_code: inviter.user.referral_code, first_name: 'Oleg' }))
    expect(result.status).toBe(200)
    expect(result.body).toMatchObject({ first_name: 'Oleg', points: 100 })
    expect(roundTrips).toBe(1)
  })

  it('refuses a second activation with 409 and moves no points', async () => {
    const first = await signIn()
    const second = await signIn()
    const invitee = await signIn()
    await update(invitee.access, { inviter_referral_code: first.user.referral_code })

    const again = await update(invitee.access, { inviter_referral_code: second.user.referral_code })
    expect(again.status).toBe(409)
    expect(again.body).toMatchObject({
      code: 'referral_already_activated',
      errors: [
        {
          path: 'inviter_referral_code',
          message: expect.any(String),
        },
      ],
    })
    const sameAgain = await update(invitee.access, { inviter_referral_code: first.user.referral_code })
    expect(sameAgain.status).toBe(409)

    expect((await profile(invitee.access)).body).toMatchObject({ points: 100, inviter_referral_code: first.user.referral_code })
    expect((await profile(first.access)).body.points).toBe(200)
    expect((await profile(second.access)).body.points).toBe(0)
    await ledgerMatchesBalances([first.user.id, second.user.id, invitee.user.id])
  })

  // Otherwise an activated user could learn, 409 or 404, whether any code exists.
  it('tells a user who already activated a code 409 whatever code they send: another\'s, an unknown one, their own', async () => {
    const inviter = await signIn()
    const other = await signIn()
    const me = await signIn()
    await update(me.access, { inviter_referral_code: inviter.user.referral_code })
    for (const code of [other.user.referral_code, 'ZZZZZZ', me.user.referral_code]) {
      const response = await update(me.access, { inviter_referral_code: code })
      expect(response.status, code).toBe(409)
      expect(response.body.code, code).toBe('referral_already_activated')
    }
  })

  it('refuses an unknown code with 404', async () => {
    const me = await signIn()
    const response = await update(me.access, { inviter_referral_code: 'ZZZZZZ' })
    expect(response.status).toBe(404)
    expect(response.body.code).toBe('referral_code_not_found')
  })

  it('refuses the user\'s own code with 422', async () => {
    const me = await signIn()
    const response = await update(me.access, { inviter_referral_code: me.user.referral_code })
    expect(response.status).toBe(422)
    expect(response.body.code).toBe('own_referral_code')
    expect((await profile(me.access)).body).toMatchObject({ points: 0, inviter_referral_code: null })
  })

  it('refuses the code of someone the user invited, directly or further down the chain', async () => {
    const a = await signIn()
    const b = await signIn()
    const c = await signIn()
    await update(b.access, { inviter_referral_code: a.user.referral_code })
    await update(c.access, { inviter_referral_code: b.user.referral_code })

    const direct = await update(a.access, { inviter_referral_code: b.user.referral_code })
    expect(direct.status).toBe(409)
    expect(direct.body.code).toBe('referral_cycle')
    const indirect = await update(a.access, { inviter_referral_code: c.user.referral_code })
    expect(indirect.status).toBe(409)
    expect(indirect.body.code).toBe('referral_cycle')
    expect((await profile(a.access)).body).toMatchObject({ points: 200, inviter_referral_code: null })
  })

  // Older versions could store one under concurrency; the walk up the inviter's chain must end there.
  it('answers an activation aimed into a tree that holds a loop of inviters', async () => {
    const [a, b, c, newcomer] = await Promise.all([
      signIn(),
      signIn(),
      signIn(),
      signIn(),
    ])
    await database().query(`
      UPDATE users SET inviter_id = loop.inviter_id, invited_at = now()
      FROM (VALUES ($1::uuid, $2::uuid), ($2, $3::uuid), ($3, $1)) AS loop (id, inviter_id) WHERE users.id = loop.id`, [
      a.user.id,
      b.user.id,
      c.user.id,
    ])
    const response = await update(newcomer.access, { inviter_referral_code: b.user.referral_code })
    expect(response.status).toBe(200)
    expect(response.body).toMatchObject({ inviter_referral_code: b.user.referral_code, points: 100 })
    expect((await update(a.access, { inviter_referral_code: newcomer.user.referral_code })).body.code).toBe('referral_already_activated')
  })

  it('leaves every field unchanged when the activation in the same request is refused', async () => {
    const me = await signIn()
    const response = await update(me.access, { first_name: 'Changed', email: 'changed@example.com', inviter_referral_code: 'ZZZZZZ' })
    expect(response.status).toBe(404)
    expect((await profile(me.access)).body).toMatchObject({ first_name: '', email: null, points: 0 })
  })

  it('honours configured reward amounts through the ledger', async () => {
    const inviter = await signIn()
    const invitee = await signIn()
    await update(invitee.access, { inviter_referral_code: inviter.user.referral_code })
    await ledgerMatchesBalances([inviter.user.id, invitee.user.id])
  })
})

describe('pATCH /users/profile/update/ — per-user quotas', () => {
  const fewActivations = withSettings({ REFERRAL_ACTIVATIONS_PER_HOUR: '3' })
  const fewUpdates = withSettings({ PROFILE_UPDATES_PER_HOUR: '3' })

  it('refuses referral code attempts past the hourly quota with 429 and Retry-After, in the one round trip, changing nothing', async () => {
    const inviter = await signIn()
    const me = await signIn()
    for (let i = 0; i < 3; i++)
      expect((await update(me.access, { inviter_referral_code: 'ZZZZZZ' }, fewActivations)).status).toBe(404)
    const { result: refused, roundTrips } = await countRoundTrips(() => update(me.access, { inviter_referral_code: inviter.user.referral_code, first_name: 'Changed' }, fewActivations))
    expect(refused.status).toBe(429)
    expect(refused.body).toMatchObject({
      code: 'rate_limited',
      retry_after: expect.any(Number),
    })
    expect(refused.headers.get('Retry-After')).toBe(String(refused.body.retry_after))
    expect(refused.body.retry_after).toBeGreaterThan(0)
    expect(refused.body.retry_after).toBeLessThanOrEqual(3_600)
    expect(roundTrips).toBe(1)
    expect((await profile(me.access)).body).toMatchObject({ first_name: '', inviter_referral_code: null, points: 0 })
    expect((await profile(inviter.access)).body.points).toBe(0)
  })

  it('stops an activated user probing codes after the quota, with the same 409 until then', async () => {
    const inviter = await signIn()
    const me = await signIn()
    expect((await update(me.access, { inviter_referral_code: inviter.user.referral_code }, fewActivations)).status).toBe(200)
    const probes = [
      'ZZZZZZ',
      inviter.user.referral_code,
      'AAAAAA',
      'BBBBBB',
    ]
    const answers = []
    for (const code of probes)
      answers.push((await update(me.access, { inviter_referral_code: code }, fewActivations)).body.code)
    expect(answers).toEqual([
      'referral_already_activated',
      'referral_already_activated',
      'rate_limited',
      'rate_limited',
    ])
  })

  it('lets exactly the quota through when a user sends many updates at once', async () => {
    const me = await signIn()
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => update(me.access, { first_name: `Try ${i}` }, fewUpdates)))
    const statuses = answers.map(answer => answer.status).sort()
    expect(statuses.filter(status => status === 200)).toHaveLength(3)
    expect(statuses.filter(status => status === 429)).toHaveLength(17)
  })

  it('refuses profile updates past the hourly quota with 429 and leaves the profile as it was', async () => {
    const me = await signIn()
    for (const name of ['One', 'Two', 'Three'])
      expect((await update(me.access, { first_name: name }, fewUpdates)).status).toBe(200)
    const refused = await update(me.access, { first_name: 'Four' }, fewUpdates)
    expect(refused.status).toBe(429)
    expect(refused.body.code).toBe('rate_limited')
    expect(refused.headers.get('Retry-After')).toEqual(expect.stringMatching(/^\d+$/))
    expect((await profile(me.access)).body.first_name).toBe('Three')
  })

  it('counts per user, whichever session or network the requests come from, and never limits another user', async () => {
    const me = await signIn()
    const secondDevice = await signIn(me.phone)
    const neighbour = await signIn()
    await update(me.access, { first_name: 'One' }, fewUpdates)
    await api('PATCH', '/users/profile/update/', {
      token: secondDevice.access,
      body: { first_name: 'Two' },
      env: fewUpdates,
      headers: { 'CF-Connecting-IP': '2001:db8:1::1' },
    })
    await update(secondDevice.access, { first_name: 'Three' }, fewUpdates)
    expect((await update(me.access, { first_name: 'Four' }, fewUpdates)).status).toBe(429)
    expect((await update(neighbour.access, { first_name: 'Four' }, fewUpdates)).status).toBe(200)
  })

  it('never limits an ordinary user: a dozen edits and a mistyped code before the right one, with the default quotas', async () => {
    const inviter = await signIn()
    const me = await signIn()
    for (let i = 0; i < 12; i++)
      expect((await update(me.access, { first_name: `Name ${i}`, email: `me${i}@example.com` })).status).toBe(200)
    expect((await update(me.access, { inviter_referral_code: 'ZZZZZZ' })).status).toBe(404)
    const activated = await update(me.access, { inviter_referral_code: inviter.user.referral_code })
    expect(activated.status).toBe(200)
    expect(activated.body).toMatchObject({ first_name: 'Name 11', points: 100 })
  })
})
