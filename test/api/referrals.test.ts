import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { api, countRoundTrips, database, signIn } from './helpers'

interface Referral {
  first_name: string
  last_name: string
  phone_number: string
  joined_at: string
}

const profile = (token: string) => api('GET', '/users/profile/', { token })
const referrals = (token: string, query = '') => api('GET', `/users/profile/referrals/${query}`, { token })

let batch = 0

const base64url = (text: string) => btoa(text).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
const fromBase64url = (text: string) => atob(text.replace(/-/g, '+').replace(/_/g, '/'))

/**
 * Gives `inviterId` `count` referrals straight in the database (the activation itself is tested through the API
 * elsewhere): invitee i is "Invitee i", joined i minutes ago, so the newest is Invitee 1. With `sameInstant`, every
 * other pair of invitees shares one joined_at, so pages must break ties by id without skipping or repeating anyone.
 */
async function giveReferrals(inviterId: string, count: number, options: { sameInstant?: boolean } = {}) {
  batch += 1
  const prefix = `+1555${String(Date.now() % 100_000).padStart(5, '0')}${batch}`
  await database().query(`
    INSERT INTO users (phone_number, referral_code, first_name, last_name, inviter_id, invited_at)
    SELECT $1 || lpad(i::text, 4, '0'), upper(substr(md5(gen_random_uuid()::text), 1, 12)), 'Invitee ' || i, 'Test', $2::uuid,
           now() - make_interval(mins => CASE WHEN $4 THEN (i + 1) / 2 ELSE i END)
    FROM generate_series(1, $3::int) AS i`, [
    prefix,
    inviterId,
    count,
    options.sameInstant ?? false,
  ])
}

/** Follows next_cursor from the first page to the last; every page must come back 200. */
async function allPages(token: string, limit?: number) {
  const pages: { referrals: Referral[], next_cursor: string | null }[] = []
  let cursor: string | null = ''
  while (cursor !== null) {
    const params = new URLSearchParams()
    if (limit)
      params.set('limit', String(limit))
    if (cursor)
      params.set('cursor', cursor)
    const response = await referrals(token, `?${params}`)
    expect(response.status, JSON.stringify(response.body)).toBe(200)
    pages.push(response.body)
    cursor = response.body.next_cursor
  }
  return pages
}

describe('gET /users/profile/ — referrals are bounded', () => {
  it('shows the 20 newest referrals, the total, and a cursor to the rest', async () => {
    const me = await signIn()
    await giveReferrals(me.user.id, 25)
    const body = (await profile(me.access)).body
    expect(body.referrals_count).toBe(25)
    expect(body.referrals.map((r: Referral) => r.first_name)).toEqual(Array.from({ length: 20 }, (_, i) => `Invitee ${i + 1}`))
    expect(body.referrals_next_cursor).toEqual(expect.any(String))

    const rest = await referrals(me.access, `?cursor=${body.referrals_next_cursor}`)
    expect(rest.status).toBe(200)
    expect(rest.body.referrals.map((r: Referral) => r.first_name)).toEqual([
      'Invitee 21',
      'Invitee 22',
      'Invitee 23',
      'Invitee 24',
      'Invitee 25',
    ])
    expect(rest.body.next_cursor).toBeNull()
  })

  it('has no cursor when exactly a page of referrals exists', async () => {
    const me = await signIn()
    await giveReferrals(me.user.id, 20)
    const body = (await profile(me.access)).body
    expect(body.referrals).toHaveLength(20)
    expect(body.referrals_next_cursor).toBeNull()
  })

  it('still costs one database round trip with many referrals', async () => {
    const me = await signIn()
    await giveReferrals(me.user.id, 300)
    const { result, roundTrips } = await countRoundTrips(() => profile(me.access))
    expect(result.body.referrals).toHaveLength(20)
    expect(result.body.referrals_count).toBe(300)
    expect(roundTrips).toBe(1)
  })
})

describe('gET /users/profile/referrals/', () => {
  it('pages through every referral once, newest first, masked, ending with a null cursor', async () => {
    const me = await signIn()
    await giveReferrals(me.user.id, 45)
    const pages = await allPages(me.access)
    expect(pages.map(page => page.referrals.length)).toEqual([20, 20, 5])
    const all = pages.flatMap(page => page.referrals)
    expect(all.map(r => r.first_name)).toEqual(Array.from({ length: 45 }, (_, i) => `Invitee ${i + 1}`))
    const joined = all.map(r => Date.parse(r.joined_at))
    expect(joined).toEqual([...joined].sort((a, b) => b - a))
    for (const referral of all) {
      expect(referral.phone_number).toMatch(/^\+1555\*+\d\d$/)
      expect(referral.joined_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/)
    }
  })

  it('neither skips nor repeats referrals who joined at the same instant across page boundaries', async () => {
    const me = await signIn()
    await giveReferrals(me.user.id, 30, { sameInstant: true })
    const pages = await allPages(me.access, 3)
    expect(pages).toHaveLength(10)
    const names = pages.flatMap(page => page.referrals.map(r => r.first_name))
    expect(new Set(names).size).toBe(30)
    expect(names.toSorted()).toEqual(Array.from({ length: 30 }, (_, i) => `Invitee ${i + 1}`).toSorted())
  })

  it('continues from the profile\'s cursor with the page size asked for', async () => {
    const me = await signIn()
    await giveReferrals(me.user.id, 50)
    const cursor = (await profile(me.access)).body.referrals_next_cursor
    const next = await referrals(me.access, `?limit=7&cursor=${cursor}`)
    expect(next.body.referrals.map((r: Referral) => r.first_name)).toEqual(Array.from({ length: 7 }, (_, i) => `Invitee ${i + 21}`))
    expect(next.body.next_cursor).toEqual(expect.any(String))
  })

  it('answers an empty page for a user nobody invited', async () => {
    const me = await signIn()
    const response = await referrals(me.access)
    expect(response.status).toBe(200)
    expect(response.body).toEqual({ referrals: [], next_cursor: null })
  })

  it('serves at most 100 per page, 20 unless asked', async () => {
    const me = await signIn()
    await giveReferrals(me.user.id, 120)
    expect((await referrals(me.access)).body.referrals).toHaveLength(20)
    expect((await referrals(me.access, '?limit=100')).body.referrals).toHaveLength(100)
    expect((await referrals(me.access, '?limit=1')).body.referrals).toHaveLength(1)
  })

  it('costs one database round trip for a page deep in a long list', async () => {
    const me = await signIn()
    await giveReferrals(me.user.id, 250)
    const [middle] = await database().query(`
      SELECT to_char(invited_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS invited_at, id
      FROM users WHERE inviter_id = $1 ORDER BY invited_at DESC, id OFFSET 199 LIMIT 1`, [me.user.id])
    const first = await referrals(me.access, '?limit=100')
    const second = await referrals(me.access, `?limit=100&cursor=${first.body.next_cursor}`)
    const cursor = second.body.next_cursor
    // The cursor is the last row's key; the third page starts right after Invitee 200.
    expect(fromBase64url(cursor)).toBe(`${middle!.invited_at}/${middle!.id}`)
    const { result, roundTrips } = await countRoundTrips(() => referrals(me.access, `?limit=100&cursor=${cursor}`))
    expect(result.body.referrals.map((r: Referral) => r.first_name)).toEqual(Array.from({ length: 50 }, (_, i) => `Invitee ${i + 201}`))
    expect(result.body.next_cursor).toBeNull()
    expect(roundTrips).toBe(1)
  })

  it.each([
    ['a limit of 0', '?limit=0', 'limit'],
    ['a limit over 100', '?limit=101', 'limit'],
    ['a fractional limit', '?limit=2.5', 'limit'],
    ['a limit that is not a number', '?limit=ten', 'limit'],
    ['a cursor that is not base64url', '?cursor=not*a*cursor', 'cursor'],
    ['a cursor of the wrong length', '?cursor=abcde', 'cursor'],
    ['a cursor holding something else', `?cursor=${base64url('2026-01-01/not-a-uuid')}`, 'cursor'],
    ['a cursor with an impossible date', `?cursor=${base64url('2026-02-30T10:00:00.000000Z/0b7e8a52-51f4-4c1e-9a40-7d7f2f4f5f10')}`, 'cursor'],
    // JavaScript has a year 0, Postgres does not: its "date/time field value out of range" must not become a 500.
    ['a cursor in the year 0000', `?cursor=${base64url('0000-01-01T00:00:00.000000Z/0b7e8a52-51f4-4c1e-9a40-7d7f2f4f5f10')}`, 'cursor'],
    ['a cursor on 29 February 0000', `?cursor=${base64url('0000-02-29T12:00:00.000000Z/0b7e8a52-51f4-4c1e-9a40-7d7f2f4f5f10')}`, 'cursor'],
    ['a cursor at midnight as 24:00', `?cursor=${base64url('2026-01-01T24:00:00.000000Z/0b7e8a52-51f4-4c1e-9a40-7d7f2f4f5f10')}`, 'cursor'],
  ])('refuses %s with a 400 problem naming the parameter', async (_, query, path) => {
    const me = await signIn()
    const response = await referrals(me.access, query)
    expect(response.status).toBe(400)
    expect(response.headers.get('Content-Type')).toBe('application/problem+json')
    expect(response.body).toMatchObject({ status: 400, code: 'validation_failed' })
    expect(response.body.errors).toContainEqual({
      path,
      message: expect.any(String),
    })
  })

  it('pages from the earliest and the latest instant a cursor can hold', async () => {
    const me = await signIn()
    await giveReferrals(me.user.id, 3)
    const first = await referrals(me.access, `?cursor=${base64url('0001-01-01T00:00:00.000000Z/00000000-0000-0000-0000-000000000000')}`)
    expect(first.status).toBe(200)
    expect(first.body.referrals).toEqual([])
    const last = await referrals(me.access, `?cursor=${base64url('9999-12-31T23:59:59.999999Z/00000000-0000-0000-0000-000000000000')}`)
    expect(last.status).toBe(200)
    expect(last.body.referrals).toHaveLength(3)
  })

  it('answers any cursor of the right shape with a page or a 400 naming the cursor, never a 500', async () => {
    const me = await signIn()
    const digits = (length: number) => fc.stringMatching(new RegExp(`^\\d{${length}}$`))
    // Real instants, the first two years (JavaScript's year 0 among them) as often as all the others...
    const instants = fc.tuple(
      fc.oneof(
        fc.date({
          min: new Date('0000-01-01T00:00:00Z'),
          max: new Date('0001-12-31T23:59:59.999Z'),
          noInvalidDate: true,
        }),
        fc.date({
          min: new Date('0002-01-01T00:00:00Z'),
          max: new Date('9999-12-31T23:59:59.999Z'),
          noInvalidDate: true,
        }),
      ),
      digits(3),
    ).map(([date, micros]) => `${date.toISOString().slice(0, 23)}${micros}Z`)
    // ...and fields near and past their bounds.
    const field = (length: number, edges: string[]) => fc.oneof(fc.constantFrom(...edges), digits(length))
    const fieldsAtTheirEdges = fc.tuple(
      field(4, ['0000', '0001', '1970', '9999']),
      field(2, ['00', '01', '02', '12', '13']),
      field(2, [
        '00',
        '01',
        '28',
        '29',
        '30',
        '31',
        '32',
      ]),
      field(2, ['00', '23', '24']),
      field(2, ['00', '59', '60']),
      field(2, ['00', '59', '60']),
      digits(6),
    ).map(([year, month, day, hour, minute, second, micros]) => `${year}-${month}-${day}T${hour}:${minute}:${second}.${micros}Z`)
    const cursors = fc.tuple(fc.oneof(instants, fieldsAtTheirEdges), fc.uuid()).map(([instant, id]) => base64url(`${instant}/${id}`))
    await fc.assert(fc.asyncProperty(cursors, async (cursor) => {
      const response = await referrals(me.access, `?cursor=${cursor}`)
      if (response.status !== 200) {
        expect(response.status, fromBase64url(cursor)).toBe(400)
        expect(response.body.errors, fromBase64url(cursor)).toContainEqual({
          path: 'cursor',
          message: expect.any(String),
        })
      }
    }), { numRuns: 100 })
  })

  it('takes an empty cursor as the first page', async () => {
    const me = await signIn()
    await giveReferrals(me.user.id, 3)
    const response = await referrals(me.access, '?cursor=')
    expect(response.status).toBe(200)
    expect(response.body.referrals).toHaveLength(3)
  })

  it('needs a valid access token, and answers 401 once the account is gone', async () => {
    const anonymous = await api('GET', '/users/profile/referrals/')
    expect(anonymous.status).toBe(401)
    expect(anonymous.headers.get('WWW-Authenticate')).toContain('Bearer')

    const me = await signIn()
    await database().query('DELETE FROM users WHERE id = $1', [me.user.id])
    const gone = await referrals(me.access)
    expect(gone.status).toBe(401)
    expect(gone.body.code).toBe('user_not_found')
  })

  it('works without the trailing slash', async () => {
    const me = await signIn()
    const response = await api('GET', '/users/profile/referrals?limit=5', { token: me.access })
    expect(response.status).toBe(200)
    expect(response.body.next_cursor).toBeNull()
  })
})
