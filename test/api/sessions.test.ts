import { describe, expect, it } from 'vitest'
import { ageRotations, api, countRoundTrips, database, signIn, uniquePhone } from './helpers'

const CHROME_ON_ANDROID = 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36'
const SAFARI_ON_IOS = 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1'

const sessions = (token: string) => api('GET', '/users/sessions/', { token })
const endSession = (token: string, id: string) => api('DELETE', `/users/sessions/${id}/`, { token })

describe('listing sessions (GET /users/sessions/)', () => {
  it('lists each sign-in once with a coarse device label, marking the caller\'s own', async () => {
    const me = await signIn()
    const phone = await signIn(me.phone, { userAgent: CHROME_ON_ANDROID })
    const tablet = await signIn(me.phone, { userAgent: SAFARI_ON_IOS })

    const listed = await sessions(phone.access)
    expect(listed.status).toBe(200)
    const list = listed.body.sessions as { id: string, device: string | null, current: boolean, created_at: string, last_used_at: string }[]
    expect(list).toHaveLength(3)
    expect(list.map(session => session.device).sort()).toEqual(['Chrome on Android', 'Safari on iOS', null].sort())
    expect(list.filter(session => session.current).map(session => session.device)).toEqual(['Chrome on Android'])
    expect(JSON.stringify(listed.body)).not.toContain('Pixel')

    const fromTablet = await sessions(tablet.access)
    expect(fromTablet.body.sessions.find((session: { current: boolean }) => session.current).device).toBe('Safari on iOS')
  })

  it('keeps a session\'s id, start and device across refreshes, and moves its last use', async () => {
    const me = await signIn()
    const before = (await sessions(me.access)).body.sessions[0]
    await ageRotations(me.user.id)
    const refreshed = await api('POST', '/users/auth/refresh/', {
      body: { refresh: me.refresh },
    })
    expect(refreshed.status).toBe(200)
    const after = (await sessions(refreshed.body.access)).body.sessions
    expect(after).toHaveLength(1)
    expect(after[0]).toMatchObject({
      id: before.id,
      created_at: before.created_at,
      device: before.device,
      current: true,
    })
    expect(Date.parse(after[0].last_used_at)).toBeGreaterThanOrEqual(Date.parse(before.last_used_at))
  })

  it('leaves out sessions that were signed out', async () => {
    const me = await signIn()
    const other = await signIn(me.phone)
    expect((await api('POST', '/users/auth/logout/', {
      body: { refresh: other.refresh },
    })).status).toBe(204)
    const list = (await sessions(me.access)).body.sessions
    expect(list).toHaveLength(1)
    expect(list[0].current).toBe(true)
  })

  it('lists a sign-in whose User-Agent names no known browser or system with a null device', async () => {
    const me = await signIn(uniquePhone(), { userAgent: 'okhttp/4.12.0' })
    expect((await sessions(me.access)).body.sessions[0].device).toBeNull()
  })

  it('costs one database round trip', async () => {
    const me = await signIn()
    const { result, roundTrips } = await countRoundTrips(() => sessions(me.access))
    expect(result.status).toBe(200)
    expect(roundTrips).toBe(1)
  })

  it('answers 401 without a token', async () => {
    expect((await api('GET', '/users/sessions/')).status).toBe(401)
  })
})

describe('ending a session (DELETE /users/sessions/{id}/)', () => {
  it('signs that session out, and only that one', async () => {
    const me = await signIn()
    const other = await signIn(me.phone)
    const otherId = (await sessions(other.access)).body.sessions.find((session: { current: boolean }) => session.current).id

    const { result, roundTrips } = await countRoundTrips(() => endSession(me.access, otherId))
    expect(result.status).toBe(204)
    expect(roundTrips).toBe(1)
    expect((await api('POST', '/users/auth/refresh/', {
      body: { refresh: other.refresh },
    })).status).toBe(401)
    expect((await api('POST', '/users/auth/refresh/', {
      body: { refresh: me.refresh },
    })).status).toBe(200)
    expect((await sessions(me.access)).body.sessions).toHaveLength(1)
    expect((await endSession(me.access, otherId)).status).toBe(404)
  })

  it('refuses another user\'s session id exactly as an unknown one, and leaves it alive', async () => {
    const [me, victim] = [await signIn(), await signIn()]
    const victimId = (await sessions(victim.access)).body.sessions[0].id
    const theirs = await endSession(me.access, victimId)
    const unknown = await endSession(me.access, crypto.randomUUID())
    expect(theirs.status).toBe(404)
    expect(theirs.body.code).toBe('session_not_found')
    const { request_id: _a, instance: _i, ...theirsBody } = theirs.body
    const { request_id: _b, instance: _j, ...unknownBody } = unknown.body
    expect(theirsBody).toEqual(unknownBody)
    expect((await api('POST', '/users/auth/refresh/', {
      body: { refresh: victim.refresh },
    })).status).toBe(200)
  })

  it('answers 400 naming the id when it is not a session id', async () => {
    const me = await signIn()
    const refused = await endSession(me.access, 'not-a-uuid')
    expect(refused.status).toBe(400)
    expect(refused.body.errors[0].path).toBe('id')
  })

  it('stores a device label only, never the User-Agent', async () => {
    const me = await signIn()
    await signIn(me.phone, { userAgent: CHROME_ON_ANDROID })
    const rows = await database().query('SELECT device_label FROM refresh_tokens WHERE user_id = $1', [me.user.id])
    expect(rows.map(row => row.device_label)).toContain('Chrome on Android')
    expect(JSON.stringify(rows)).not.toContain('Pixel')
  })
})

describe('ending every other session (DELETE /users/sessions/)', () => {
  const endOthers = (token: string) => api('DELETE', '/users/sessions/', { token })
  const refresh = (token: string) => api('POST', '/users/auth/refresh/', {
    body: { refresh: token },
  })

  it('signs out every other session of the caller in one round trip, and the caller carries on', async () => {
    const me = await signIn()
    const [laptop, tablet] = [await signIn(me.phone), await signIn(me.phone)]
    const bystander = await signIn()

    const { result, roundTrips } = await countRoundTrips(() => endOthers(me.access))
    expect(result.status).toBe(204)
    expect(roundTrips).toBe(1)
    expect((await refresh(laptop.refresh)).status).toBe(401)
    expect((await refresh(tablet.refresh)).status).toBe(401)
    const mine = await refresh(me.refresh)
    expect(mine.status).toBe(200)
    expect((await sessions(mine.body.access)).body.sessions).toHaveLength(1)
    // Nobody else's session is touched.
    expect((await refresh(bystander.refresh)).status).toBe(200)
    // Idempotent.
    expect((await endOthers(me.access)).status).toBe(204)
  })

  it('cannot be undone by a refresh that raced it: the ended session stays ended', async () => {
    const me = await signIn()
    const other = await signIn(me.phone)
    const [, raced] = await Promise.all([
      endOthers(me.access),
      refresh(other.refresh),
    ])
    if (raced.status === 200)
      expect((await refresh(raced.body.refresh)).status).toBe(401)
    expect((await sessions(me.access)).body.sessions).toHaveLength(1)
  })

  it('refuses a request without an access token', async () => {
    const refused = await api('DELETE', '/users/sessions/')
    expect(refused.status).toBe(401)
    expect(refused.body.code).toBe('unauthenticated')
  })
})
