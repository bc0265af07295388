import { env } from 'cloudflare:test'
import { createLocalJWKSet, decodeProtectedHeader, generateKeyPair, jwtVerify, SignJWT } from 'jose'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { api, countRoundTrips, database, signIn } from './helpers'

function refresh(token: string) {
  return api('POST', '/users/auth/refresh/', {
    body: { refresh: token },
  })
}
function logout(token: string) {
  return api('POST', '/users/auth/logout/', {
    body: { refresh: token },
  })
}
const profile = (token: string) => api('GET', '/users/profile/', { token })

afterEach(() => {
  vi.useRealTimers()
})

describe('access tokens', () => {
  it('are ES256 JWTs with kid, sub, iat, exp, iss and aud that verify against the published JWKS', async () => {
    const me = await signIn()
    const jwks = await api('GET', '/.well-known/jwks.json')
    const { payload, protectedHeader } = await jwtVerify(me.access, createLocalJWKSet(jwks.body), { issuer: 'https://auth.test', audience: 'phone-auth-test' })
    expect(protectedHeader).toEqual({ alg: 'ES256', kid: jwks.body.keys[0].kid, typ: 'at+jwt' })
    expect(payload.sub).toBe(me.user.id)
    expect(payload.exp! - payload.iat!).toBe(900)
  })

  it('are refused when expired', async () => {
    const me = await signIn()
    vi.useFakeTimers({
      toFake: ['Date'],
    })
    vi.setSystemTime(Date.now() + 901_000 + 5_000)
    const response = await profile(me.access)
    expect(response.status).toBe(401)
    expect(response.headers.get('WWW-Authenticate')).toContain('error="invalid_token"')
  })

  it('are refused when signed by a key that is not ours, with alg none, or for another audience', async () => {
    const me = await signIn()
    const { privateKey } = await generateKeyPair('ES256')
    const kid = decodeProtectedHeader(me.access).kid!
    const foreign = await new SignJWT({}).setProtectedHeader({ alg: 'ES256', kid, typ: 'at+jwt' }).setSubject(me.user.id).setIssuer('https://auth.test').setAudience('phone-auth-test').setIssuedAt().setExpirationTime('5m').sign(privateKey)
    const encode = (value: object) => btoa(JSON.stringify(value)).replaceAll('=', '').replaceAll('+', '-').replaceAll('/', '_')
    const unsigned = `${encode({ alg: 'none', typ: 'at+jwt' })}.${encode({
      sub: me.user.id,
      iss: 'https://auth.test',
      aud: 'phone-auth-test',
      iat: 1,
      exp: 9_999_999_999,
    })}.`
    const ours = JSON.parse(env.JWT_PRIVATE_KEYS)[0]
    const ourKey = await crypto.subtle.importKey('jwk', ours, { name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign'])
    const otherAudience = await new SignJWT({}).setProtectedHeader({ alg: 'ES256', kid: ours.kid, typ: 'at+jwt' }).setSubject(me.user.id).setIssuer('https://auth.test').setAudience('another-service').setIssuedAt().setExpirationTime('5m').sign(ourKey)

    for (const token of [foreign, unsigned, otherAudience]) {
      const response = await profile(token)
      expect(response.status).toBe(401)
      expect(response.body.code).toBe('unauthenticated')
    }
  })
})

describe('gET /.well-known/jwks.json', () => {
  it('publishes every configured public key with its kid, and never a private part', async () => {
    const response = await api('GET', '/.well-known/jwks.json')
    expect(response.status).toBe(200)
    const configured = JSON.parse(env.JWT_PRIVATE_KEYS) as Array<{ kid: string }>
    expect(response.body.keys.map((key: { kid: string }) => key.kid)).toEqual(configured.map(key => key.kid))
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

  it('still verifies tokens signed by an older key during a rotation', async () => {
    const me = await signIn()
    const older = JSON.parse(env.JWT_PRIVATE_KEYS)[1]
    const olderKey = await crypto.subtle.importKey('jwk', older, { name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign'])
    const token = await new SignJWT({}).setProtectedHeader({ alg: 'ES256', kid: older.kid, typ: 'at+jwt' }).setSubject(me.user.id).setIssuer('https://auth.test').setAudience('phone-auth-test').setIssuedAt().setExpirationTime('5m').sign(olderKey)
    expect((await profile(token)).status).toBe(200)
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

    const reused = await refresh(me.refresh)
    expect(reused.status).toBe(401)
    expect(reused.body.code).toBe('invalid_refresh_token')
    expect(reused.headers.get('WWW-Authenticate')).toContain('Bearer')
    expect((await refresh(rotated.body.refresh)).status).toBe(200)
  })

  it('lets only one of two simultaneous uses of a refresh token win', async () => {
    const me = await signIn()
    const results = await Promise.all([
      refresh(me.refresh),
      refresh(me.refresh),
    ])
    expect(results.map(result => result.status).sort()).toEqual([200, 401])
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

describe('pOST /users/auth/logout/', () => {
  it('revokes the refresh token and answers 204, also for a token that is already gone', async () => {
    const me = await signIn()
    const response = await logout(me.refresh)
    expect(response.status).toBe(204)
    expect(response.body).toBe('')
    expect((await refresh(me.refresh)).status).toBe(401)
    expect((await logout(me.refresh)).status).toBe(204)
  })

  it('costs one database round trip', async () => {
    const me = await signIn()
    const { roundTrips } = await countRoundTrips(() => logout(me.refresh))
    expect(roundTrips).toBe(1)
  })
})
