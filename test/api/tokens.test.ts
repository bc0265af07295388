import type { JWK, JWTPayload } from 'jose'
import { env } from 'cloudflare:test'
import { createLocalJWKSet, decodeJwt, decodeProtectedHeader, generateKeyPair, importJWK, jwtVerify, SignJWT } from 'jose'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { hashRefreshToken } from '../../src/domain/refresh-token'
import { ageRotations, api, captureLogs, countRoundTrips, database, signIn, withSettings } from './helpers'

function refresh(token: string) {
  return api('POST', '/users/auth/refresh/', {
    body: { refresh: token },
  })
}
function logout(token: string, all?: boolean) {
  return api('POST', '/users/auth/logout/', {
    body: all === undefined
      ? { refresh: token }
      : { refresh: token, all },
  })
}
const profile = (token: string) => api('GET', '/users/profile/', { token })

/** Refresh tokens of the presented token's family (every token of its sign-in) that are not revoked. */
async function liveTokensInFamilyOf(token: string): Promise<number> {
  const rows = await database().query(`SELECT count(*)::int AS live FROM refresh_tokens WHERE revoked_at IS NULL
    AND family_id = (SELECT family_id FROM refresh_tokens WHERE token_hash = $1)`, [await hashRefreshToken(token)])
  return rows[0]!.live
}
async function liveTokensOf(userId: string): Promise<number> {
  const rows = await database().query('SELECT count(*)::int AS live FROM refresh_tokens WHERE user_id = $1 AND revoked_at IS NULL', [userId])
  return rows[0]!.live
}

/**
 * Holds the row lock of `token` for a while, as a slow statement would, so requests needing it queue in the order
 * they arrive (on PostgreSQL; PGlite runs one statement at a time, so there they simply follow each other).
 */
async function holdRowLock(token: string): Promise<() => Promise<unknown>> {
  const sql = database()
  const held = sql.transaction([
    sql`SELECT 1 FROM refresh_tokens WHERE token_hash = ${await hashRefreshToken(token)} FOR UPDATE`,
    sql`SELECT pg_sleep(0.5)`,
  ])
  await untilWaitingOnLocks(0)
  return () => held
}
/** Waits until `count` statements of this database wait on a lock; half a second at most, as on PGlite none ever do. */
async function untilWaitingOnLocks(count: number): Promise<void> {
  const deadline = Date.now() + 500
  while (Date.now() < deadline) {
    const [row] = await database().query(`SELECT count(*)::int AS waiting FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`)
    if (row!.waiting >= count)
      return
    await new Promise(resolve => setTimeout(resolve, 20))
  }
}
const securityEvents = (logs: ReturnType<typeof captureLogs>) => logs.requestLines().filter(line => line.security_event).map(line => line.security_event)

const ISSUER = 'https://auth.test'
const AUDIENCE = 'phone-auth-test'
const configuredKeys = () => JSON.parse(env.JWT_PRIVATE_KEYS) as JWK[]
const now = () => Math.floor(Date.now() / 1000)

/** An access token as an attacker (or a careless verifier elsewhere) might make one; every part can be changed. */
async function forge(options: {
  sub: string
  key?: CryptoKey | Uint8Array
  header?: Record<string, unknown>
  claims?: JWTPayload
}): Promise<string> {
  const [ours] = configuredKeys()
  const key = options.key ?? await importJWK(ours!, 'ES256')
  return new SignJWT({
    iss: ISSUER,
    aud: AUDIENCE,
    iat: now(),
    exp: now() + 300,
    ...options.claims,
  })
    .setProtectedHeader({
      alg: 'ES256',
      kid: ours!.kid,
      typ: 'at+jwt',
      ...options.header,
    } as { alg: string })
    .setSubject(options.sub)
    .sign(key)
}

const base64url = (value: object) => btoa(JSON.stringify(value)).replaceAll('=', '').replaceAll('+', '-').replaceAll('/', '_')

afterEach(() => {
  vi.useRealTimers()
  vi.restoreAllMocks()
})

describe('access tokens', () => {
  it('are ES256 JWTs with kid, sub, iat, exp, iss and aud that verify against the published JWKS', async () => {
    const me = await signIn()
    const jwks = await api('GET', '/.well-known/jwks.json')
    const { payload, protectedHeader } = await jwtVerify(me.access, createLocalJWKSet(jwks.body), { issuer: ISSUER, audience: AUDIENCE })
    expect(protectedHeader).toEqual({ alg: 'ES256', kid: jwks.body.keys[0].kid, typ: 'at+jwt' })
    expect(payload.sub).toBe(me.user.id)
    expect(payload.exp! - payload.iat!).toBe(900)
  })

  it('a token we made with our own key and claims is accepted (the forgeries below differ from it in one thing each)', async () => {
    const me = await signIn()
    expect((await profile(await forge({ sub: me.user.id }))).status).toBe(200)
  })

  it('are refused when unsigned, of another algorithm, signed by a foreign key, for another issuer, audience or type, issued in the future, or not about a user id', async () => {
    const me = await signIn()
    const sub = me.user.id
    const [ours] = configuredKeys()
    const published = (await api('GET', '/.well-known/jwks.json')).body.keys[0]
    const foreignEs256 = (await generateKeyPair('ES256')).privateKey
    const foreignEd25519 = (await generateKeyPair('EdDSA')).privateKey
    const forgeries: Record<string, string> = {
      'alg none (unsigned)': `${base64url({ alg: 'none', typ: 'at+jwt', kid: ours!.kid })}.${base64url({
        sub,
        iss: ISSUER,
        aud: AUDIENCE,
        iat: now(),
        exp: now() + 300,
      })}.`,
      // Algorithm confusion: an HMAC keyed with our public key, which anyone can read from the JWKS.
      'HS256 keyed with our public key': await forge({
        sub,
        key: new TextEncoder().encode(JSON.stringify(published)),
        header: { alg: 'HS256' },
      }),
      'HS256 keyed with a guessed secret': await forge({
        sub,
        key: new TextEncoder().encode('secret'.repeat(8)),
        header: { alg: 'HS256' },
      }),
      'EdDSA by a foreign key with our kid': await forge({
        sub,
        key: foreignEd25519,
        header: { alg: 'EdDSA' },
      }),
      'ES256 by a foreign key with our kid': await forge({ sub, key: foreignEs256 }),
      'another issuer': await forge({
        sub,
        claims: { iss: 'https://evil.example' },
      }),
      'another audience': await forge({
        sub,
        claims: { aud: 'another-service' },
      }),
      'not an access token (typ JWT)': await forge({
        sub,
        header: { typ: 'JWT' },
      }),
      'no expiry': await forge({
        sub,
        claims: { exp: undefined },
      }),
      'issued in the future, beyond the clock skew': await forge({
        sub,
        claims: { iat: now() + 60 },
      }),
      // Signed with our own key, as a token from a bug elsewhere or a leaked key would be: still not one of our ids.
      'a subject that is not a user id': await forge({ sub: 'admin' }),
      'a tampered payload': (() => {
        const [header, , signature] = me.access.split('.')
        return `${header}.${base64url({
          ...decodeJwt(me.access),
          sub: crypto.randomUUID(),
        })}.${signature}`
      })(),
    }
    for (const [what, token] of Object.entries(forgeries)) {
      const response = await profile(token)
      expect(response.status, what).toBe(401)
      expect(response.body.code, what).toBe('unauthenticated')
      expect(response.headers.get('WWW-Authenticate'), what).toContain('error="invalid_token"')
    }
  })

  it('are accepted up to ACCESS_TOKEN_CLOCK_SKEW_SECONDS (30 s) past their expiry, and refused after that', async () => {
    const me = await signIn()
    const { exp } = decodeJwt(me.access)
    vi.useFakeTimers({
      toFake: ['Date'],
    })
    vi.setSystemTime((exp! + 20) * 1000)
    expect((await profile(me.access)).status).toBe(200)
    vi.setSystemTime((exp! + 31) * 1000)
    const late = await profile(me.access)
    expect(late.status).toBe(401)
    expect(late.headers.get('WWW-Authenticate')).toContain('error="invalid_token"')
  })

  it('are accepted when issued up to ACCESS_TOKEN_CLOCK_SKEW_SECONDS (30 s) in the future, for a signer whose clock runs a little ahead', async () => {
    const me = await signIn()
    expect((await profile(await forge({
      sub: me.user.id,
      claims: { iat: now() + 20 },
    }))).status).toBe(200)
  })
  // A token whose user has been deleted: test/api/profile.test.ts ('answers 401 once the account is gone').
})

describe('signing keys and their rotation', () => {
  it('the JWKS publishes every configured public key with its kid, and never a private part', async () => {
    const response = await api('GET', '/.well-known/jwks.json')
    expect(response.status).toBe(200)
    expect(response.body.keys.map((key: { kid: string }) => key.kid)).toEqual(configuredKeys().map(key => key.kid))
    expect(response.body.keys).toHaveLength(2)
    for (const key of response.body.keys) {
      expect(Object.keys(key).sort()).toEqual([
        'alg',
        'crv',
        'kid',
        'kty',
        'use',
        'x',
        'y',
      ])
      expect(key).toMatchObject({
        kty: 'EC',
        crv: 'P-256',
        alg: 'ES256',
        use: 'sig',
      })
    }
    expect(JSON.stringify(response.body)).not.toContain('"d"')
  })

  it('the newest key (first in JWT_PRIVATE_KEYS) signs new tokens, on sign-in and on refresh', async () => {
    const me = await signIn()
    const [newest] = configuredKeys()
    expect(decodeProtectedHeader(me.access).kid).toBe(newest!.kid)
    expect(decodeProtectedHeader((await refresh(me.refresh)).body.access).kid).toBe(newest!.kid)
  })

  it('tokens signed by an older key keep working while it is in the set, and stop once it is removed (even if verified before)', async () => {
    const me = await signIn()
    const older = configuredKeys()[1]!
    const token = await forge({
      sub: me.user.id,
      key: await importJWK(older, 'ES256'),
      header: { kid: older.kid },
    })
    expect((await profile(token)).status).toBe(200)
    const withoutOlder = withSettings({
      JWT_PRIVATE_KEYS: JSON.stringify(configuredKeys().slice(0, 1)),
    })
    expect((await api('GET', '/users/profile/', { token, env: withoutOlder })).status).toBe(401)
    expect((await api('GET', '/users/profile/', { token: me.access, env: withoutOlder })).status).toBe(200)
  })
})

describe('pOST /users/auth/refresh/', () => {
  it('returns a new pair and retires the presented refresh token (rotation)', async () => {
    const me = await signIn()
    const rotated = await refresh(me.refresh)
    expect(rotated.status).toBe(200)
    expect(rotated.body).toEqual({
      access: expect.any(String),
      refresh: expect.any(String),
      token_type: 'Bearer',
      expires_in: 900,
    })
    expect(rotated.body.refresh).not.toBe(me.refresh)
    expect((await profile(rotated.body.access)).status).toBe(200)
  })

  it('keeps a session going through many rotations when the client refreshes one at a time', async () => {
    const me = await signIn()
    let token = me.refresh
    for (let round = 0; round < 5; round++) {
      const rotated = await refresh(token)
      expect(rotated.status).toBe(200)
      token = rotated.body.refresh
    }
    expect((await profile((await refresh(token)).body.access)).status).toBe(200)
  })

  it('costs one database round trip', async () => {
    const me = await signIn()
    const { result, roundTrips } = await countRoundTrips(() => refresh(me.refresh))
    expect(result.status).toBe(200)
    expect(roundTrips).toBe(1)
  })

  it('refuses an unknown token and one past its expiry', async () => {
    expect((await refresh('not-a-real-token')).status).toBe(401)
    const me = await signIn()
    // Expiry is judged by the database clock against the stored expires_at.
    await database().query(`UPDATE refresh_tokens SET expires_at = now() - interval '1 second' WHERE user_id = $1`, [me.user.id])
    const expired = await refresh(me.refresh)
    expect(expired.status).toBe(401)
    expect(expired.body.code).toBe('invalid_refresh_token')
  })

  it('stores refresh tokens only as hashes, each expiring after REFRESH_TOKEN_TTL_SECONDS', async () => {
    const me = await signIn()
    const rows = await database().query('SELECT token_hash, extract(epoch FROM expires_at - created_at)::int AS lifetime FROM refresh_tokens WHERE user_id = $1', [me.user.id])
    expect(rows).toHaveLength(1)
    expect(rows[0]!.token_hash).not.toBe(me.refresh)
    expect(rows[0]!.token_hash).toMatch(/^[\w-]{43}$/)
    expect(JSON.stringify(rows)).not.toContain(me.refresh)
    expect(Math.abs(rows[0]!.lifetime - 2_592_000)).toBeLessThan(60)
  })

  it('refuses a missing or malformed body with 400', async () => {
    expect((await api('POST', '/users/auth/refresh/', { body: {} })).status).toBe(400)
    expect((await api('POST', '/users/auth/refresh/', {
      body: { refresh: 42 },
    })).status).toBe(400)
    expect((await api('POST', '/users/auth/refresh/', {
      body: {
        refresh: 'x'.repeat(600),
      },
    })).status).toBe(400)
  })
})

describe('refresh token reuse', () => {
  it('presenting a rotated refresh token again ends every session of that sign-in, and only those', async () => {
    const me = await signIn()
    const otherDevice = await signIn(me.phone)
    const b = await refresh(me.refresh)
    const c = await refresh(b.body.refresh)
    expect(c.status).toBe(200)
    await ageRotations(me.user.id)

    const logs: string[] = []
    vi.spyOn(console, 'warn').mockImplementation((line: string) => void logs.push(line))
    const replayed = await refresh(me.refresh)
    expect(replayed.status).toBe(401)
    expect(replayed.body.code).toBe('invalid_refresh_token')
    expect(replayed.body.detail).toContain('every session of this sign-in has been ended')

    // The newest token of the family is dead too, whoever holds it: we cannot tell the thief from the owner.
    expect((await refresh(c.body.refresh)).status).toBe(401)
    expect((await refresh(b.body.refresh)).status).toBe(401)
    // Another sign-in of the same user is another family, untouched.
    expect((await refresh(otherDevice.refresh)).status).toBe(200)
    // Access tokens already issued live out their short lifetime.
    expect((await profile(c.body.access)).status).toBe(200)

    // Both replays of rotated tokens (A, then B) are flagged for the operator; C was merely revoked with its family.
    const events = logs.map(line => JSON.parse(line)).filter(line => line.security_event)
    const reuse = expect.objectContaining({
      level: 'warn',
      status: 401,
      security_event: 'refresh_token_reused',
      user_id: me.user.id,
    })
    expect(events).toEqual([reuse, reuse])
    const live = await database().query('SELECT count(*)::int AS live FROM refresh_tokens WHERE user_id = $1 AND revoked_at IS NULL', [me.user.id])
    expect(live[0]!.live).toBe(1)
  })

  it('detecting reuse and revoking the family costs one database round trip', async () => {
    const me = await signIn()
    await refresh(me.refresh)
    await ageRotations(me.user.id)
    const { result, roundTrips } = await countRoundTrips(() => refresh(me.refresh))
    expect(result.status).toBe(401)
    expect(roundTrips).toBe(1)
  })

  it('the same token presented again within REFRESH_TOKEN_REUSE_GRACE_SECONDS gets another pair of the session, not a revocation', async () => {
    const me = await signIn()
    const first = await refresh(me.refresh)
    const again = await refresh(me.refresh)
    expect(again.status).toBe(200)
    expect(again.body.refresh).not.toBe(first.body.refresh)
    // Both continue the one session; once the moment has passed, the old token is reuse again.
    expect((await refresh(first.body.refresh)).status).toBe(200)
    expect((await refresh(again.body.refresh)).status).toBe(200)
    await ageRotations(me.user.id)
    expect((await refresh(me.refresh)).status).toBe(401)
  })

  it('simultaneous uses of one token (two tabs) both continue the session within the grace period, each on its own token', async () => {
    const me = await signIn()
    const tabs = await Promise.all([
      refresh(me.refresh),
      refresh(me.refresh),
    ])
    expect(tabs.map(tab => tab.status)).toEqual([200, 200])
    for (const tab of tabs) {
      expect((await profile(tab.body.access)).status).toBe(200)
      expect((await refresh(tab.body.refresh)).status).toBe(200)
    }
  })

  it('one rotated token forks the session at most once: of 100 simultaneous uses within the grace period one gets a pair, and every other is refused and logged', async () => {
    const me = await signIn()
    const successor = await refresh(me.refresh)
    const logs = captureLogs()
    const results = await Promise.all(Array.from({ length: 100 }, () => refresh(me.refresh)))
    expect(results.filter(result => result.status === 200)).toHaveLength(1)
    expect(results.filter(result => result.status === 401)).toHaveLength(99)
    // The successor the owner already has, and one sibling.
    expect(await liveTokensInFamilyOf(successor.body.refresh)).toBe(2)
    expect(securityEvents(logs)).toEqual(Array.from({ length: 99 }).fill('refresh_token_grace_refused'))
  })

  it('with REFRESH_TOKEN_REUSE_GRACE_SECONDS=0, of simultaneous uses exactly one wins and the others count as reuse', async () => {
    const strict = withSettings({ REFRESH_TOKEN_REUSE_GRACE_SECONDS: '0' })
    const strictRefresh = (token: string) => api('POST', '/users/auth/refresh/', {
      body: { refresh: token },
      env: strict,
    })
    const me = await signIn()
    const otherDevice = await signIn(me.phone)
    const results = await Promise.all([
      strictRefresh(me.refresh),
      strictRefresh(me.refresh),
      strictRefresh(me.refresh),
    ])
    expect(results.map(result => result.status).sort()).toEqual([200, 401, 401])
    const winner = results.find(result => result.status === 200)!
    expect((await strictRefresh(winner.body.refresh)).status).toBe(401)
    expect((await strictRefresh(otherDevice.refresh)).status).toBe(200)
  })

  it('a family that has ended stays dead: a successor its ender could not see never rotates, nor signs anyone out everywhere', async () => {
    const me = await signIn()
    const otherDevice = await signIn(me.phone)
    const b = await refresh(me.refresh)
    // As if the family was ended (reuse or sign-out) by a statement that raced B's rotation and could not see B:
    // only A carries the mark.
    await database().query(`UPDATE refresh_tokens SET revoked_reason = 'reused', family_ended_at = now() WHERE user_id = $1 AND revoked_reason = 'rotated'`, [me.user.id])
    expect((await logout(b.body.refresh, true)).status).toBe(204)
    expect((await refresh(otherDevice.refresh)).status).toBe(200)
    expect((await refresh(b.body.refresh)).status).toBe(401)
  })

  it('right after a replay its family has no live token: the newest one neither refreshes nor signs the owner out everywhere', async () => {
    const me = await signIn()
    const otherDevice = await signIn(me.phone)
    const newest = await refresh(me.refresh)
    await ageRotations(me.user.id)
    expect((await refresh(me.refresh)).status).toBe(401)

    expect(await liveTokensInFamilyOf(me.refresh)).toBe(0)
    expect((await logout(newest.body.refresh, true)).status).toBe(204)
    expect((await refresh(otherDevice.refresh)).status).toBe(200)
    expect((await refresh(newest.body.refresh)).status).toBe(401)
  })

  it('presenting a signed-out token is refused without signing anyone else out', async () => {
    const me = await signIn()
    const otherDevice = await signIn(me.phone)
    await logout(me.refresh)
    expect((await refresh(me.refresh)).status).toBe(401)
    expect((await refresh(otherDevice.refresh)).status).toBe(200)
  })
})

describe('pOST /users/auth/logout/', () => {
  it('revokes the refresh token and answers 204, also for a token that is already gone', async () => {
    const me = await signIn()
    const response = await logout(me.refresh)
    expect(response.status).toBe(204)
    expect(response.body).toBe('')
    expect((await refresh(me.refresh)).status).toBe(401)
    expect((await logout(me.refresh)).status).toBe(204)
  })

  it('ends only the session it is given; the user\'s other sessions keep working', async () => {
    const me = await signIn()
    const otherDevice = await signIn(me.phone)
    expect((await logout(me.refresh, false)).status).toBe(204)
    expect((await refresh(me.refresh)).status).toBe(401)
    expect((await refresh(otherDevice.refresh)).status).toBe(200)
  })

  it('with all: true ends every session of the user, and no one else\'s', async () => {
    const me = await signIn()
    const laptop = await signIn(me.phone)
    const phone = await refresh((await signIn(me.phone)).refresh)
    const someoneElse = await signIn()
    expect((await logout(laptop.refresh, true)).status).toBe(204)
    for (const token of [me.refresh, laptop.refresh, phone.body.refresh])
      expect((await refresh(token)).status).toBe(401)
    expect((await refresh(someoneElse.refresh)).status).toBe(200)
    const live = await database().query('SELECT count(*)::int AS live FROM refresh_tokens WHERE user_id = $1 AND revoked_at IS NULL', [me.user.id])
    expect(live[0]!.live).toBe(0)
  })

  it('with all: true needs a live token: a retired one signs no one out', async () => {
    const me = await signIn()
    const rotated = await refresh(me.refresh)
    const otherDevice = await signIn(me.phone)
    expect((await logout(me.refresh, true)).status).toBe(204)
    expect((await logout('not-a-real-token', true)).status).toBe(204)
    expect((await refresh(rotated.body.refresh)).status).toBe(200)
    expect((await refresh(otherDevice.refresh)).status).toBe(200)
  })

  it('with all: true and an expired token signs no one out', async () => {
    const me = await signIn()
    const otherDevice = await signIn(me.phone)
    await database().query(`UPDATE refresh_tokens SET expires_at = now() - interval '1 second' WHERE token_hash = $1`, [await hashRefreshToken(me.refresh)])
    expect((await logout(me.refresh, true)).status).toBe(204)
    expect((await refresh(otherDevice.refresh)).status).toBe(200)
    expect(await liveTokensOf(me.user.id)).toBe(2)
  })

  for (const all of [false, true]) {
    it(`${all ? 'with all: true' : 'of one session'} is final: the token rotated moments before cannot revive the session, and trying is logged`, async () => {
      const me = await signIn()
      const successor = await refresh(me.refresh)
      expect((await logout(successor.body.refresh, all)).status).toBe(204)

      const logs = captureLogs()
      const revived = await refresh(me.refresh)
      expect(revived.status).toBe(401)
      expect(revived.body.code).toBe('invalid_refresh_token')
      expect(securityEvents(logs)).toEqual(['refresh_token_grace_refused'])
      expect(logs.requestLines().at(-1)).toMatchObject({ level: 'warn', user_id: me.user.id })
      expect(await liveTokensInFamilyOf(me.refresh)).toBe(0)
      expect((await refresh(successor.body.refresh)).status).toBe(401)
    })
  }

  it('with all: true racing a refresh of one of the sessions leaves no token that refreshes, even the successor it could not see', async () => {
    const me = await signIn()
    const laptop = await signIn(me.phone)
    const release = await holdRowLock(me.refresh)
    // The refresh queues on the token first and commits its successor while the sign-out from the laptop, started
    // before that commit, waits for the same row: it cannot see the successor, so the family's mark must stop it.
    const refreshing = refresh(me.refresh)
    await untilWaitingOnLocks(1)
    const signingOut = logout(laptop.refresh, true)
    await untilWaitingOnLocks(2)
    await release()
    const [refreshed, signedOut] = await Promise.all([refreshing, signingOut])
    expect(signedOut.status).toBe(204)
    for (const token of [refreshed.body.refresh, laptop.refresh].filter(Boolean))
      expect((await refresh(token)).status).toBe(401)
    expect(await liveTokensOf(me.user.id)).toBe(0)
  })

  it('of one session ends every token of that sign-in, the sibling of a concurrent refresh included, and no other session', async () => {
    const me = await signIn()
    const otherDevice = await signIn(me.phone)
    const [tab, otherTab] = await Promise.all([
      refresh(me.refresh),
      refresh(me.refresh),
    ])
    expect((await logout(tab!.body.refresh)).status).toBe(204)
    expect((await refresh(otherTab!.body.refresh)).status).toBe(401)
    expect(await liveTokensInFamilyOf(me.refresh)).toBe(0)
    expect((await refresh(otherDevice.refresh)).status).toBe(200)
  })

  it('with all: true after a thief took a grace sibling leaves the user no live token anywhere', async () => {
    const me = await signIn()
    const laptop = await signIn(me.phone)
    const owner = await refresh(me.refresh)
    // The thief, holding a copy of the token the owner just rotated, refreshes within the grace period and keeps going.
    const stolen = await refresh(me.refresh)
    expect(stolen.status).toBe(200)
    const thief = await refresh(stolen.body.refresh)
    expect(thief.status).toBe(200)

    expect((await logout(owner.body.refresh, true)).status).toBe(204)
    expect(await liveTokensOf(me.user.id)).toBe(0)
    for (const token of [
      thief.body.refresh,
      stolen.body.refresh,
      me.refresh,
      laptop.refresh,
    ])
      expect((await refresh(token)).status).toBe(401)
    expect(await liveTokensOf(me.user.id)).toBe(0)
  })

  it('costs one database round trip, for one session or all of them', async () => {
    const me = await signIn()
    const otherDevice = await signIn(me.phone)
    expect((await countRoundTrips(() => logout(me.refresh))).roundTrips).toBe(1)
    expect((await countRoundTrips(() => logout(otherDevice.refresh, true))).roundTrips).toBe(1)
  })

  it('refuses an `all` that is not a boolean, and unknown fields, with 400', async () => {
    const me = await signIn()
    const notBoolean = await api('POST', '/users/auth/logout/', {
      body: { refresh: me.refresh, all: 'yes' },
    })
    expect(notBoolean.status).toBe(400)
    expect(notBoolean.body.errors).toEqual([
      {
        path: 'all',
        message: expect.any(String),
      },
    ])
    const unknown = await api('POST', '/users/auth/logout/', {
      body: { refresh: me.refresh, everywhere: true },
    })
    expect(unknown.status).toBe(400)
    expect(unknown.body.errors).toEqual([
      { path: 'everywhere', message: 'Unknown field' },
    ])
    expect((await refresh(me.refresh)).status).toBe(200)
  })
})
