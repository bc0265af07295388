import type { SigningKeySet } from './signing-keys'
import type { UserId } from './user-id'
import { createLocalJWKSet, errors, jwtVerify, SignJWT } from 'jose'
import { parseUserId } from './user-id'

// RFC 9068 type: a token of another kind signed with the same keys is never accepted as an access token.
const ACCESS_TOKEN_TYPE = 'at+jwt'

export interface AccessTokenOptions {
  issuer: string
  audience: string
  ttlSeconds: number
}

/** Who a valid access token speaks for, and the session (refresh-token family) it was issued to. */
export interface AccessTokenClaims {
  userId: UserId
  /** Absent from tokens issued before sessions were listed; such a token belongs to no session it can name. */
  sessionId?: string
}

export function issueAccessToken(keys: SigningKeySet, userId: UserId, sessionId: string, options: AccessTokenOptions): Promise<string> {
  const { current } = keys
  // `sid` (OpenID Connect's session id claim) lets the session list mark the caller's own session.
  return new SignJWT({ sid: sessionId })
    .setProtectedHeader({ alg: current.alg, kid: current.kid, typ: ACCESS_TOKEN_TYPE })
    .setSubject(userId)
    .setIssuer(options.issuer)
    .setAudience(options.audience)
    .setIssuedAt()
    .setExpirationTime(`${options.ttlSeconds}s`)
    .sign(current.privateKey)
}

const verifiers = new WeakMap<SigningKeySet, ReturnType<typeof createLocalJWKSet>>()

export interface VerifyOptions {
  issuer: string
  audience: string
  /** How far past `exp` (and before `iat`) a token is still accepted, for clocks that disagree a little. */
  clockSkewSeconds: number
}

/**
 * Tokens this isolate has already verified, until they expire. A client sends the same access token with every
 * request for its lifetime, and checking an ES256 signature is most of an authenticated request's CPU; a token's
 * signature and claims cannot change, so only its expiry needs checking again. Per key set, so a deployment that
 * drops a key (new isolates) never trusts a token verified with it.
 */
const VERIFIED_CACHE_SIZE = 1_000
const verified = new WeakMap<SigningKeySet, Map<string, AccessTokenClaims & { expiresAt: number }>>()

/**
 * Returns the claims of a valid token; throws jose's errors for anything else. Only our keys' algorithms are
 * accepted, so `alg: none` and HMAC tokens keyed with a public key (algorithm confusion) never verify.
 */
export async function verifyAccessToken(keys: SigningKeySet, token: string, options: VerifyOptions): Promise<AccessTokenClaims> {
  let cache = verified.get(keys)
  if (!cache) {
    cache = new Map()
    verified.set(keys, cache)
  }
  const cacheKey = `${options.issuer}\n${options.audience}\n${token}`
  const hit = cache.get(cacheKey)
  if (hit && Date.now() < hit.expiresAt)
    return { userId: hit.userId, sessionId: hit.sessionId }
  cache.delete(cacheKey)

  const payload = await verifySignatureAndClaims(keys, token, options)
  // Only we sign these, but a `sub` that is not one of our ids must fail here, not as a database error later.
  const userId = parseUserId(payload.sub)
  if (!userId)
    throw new errors.JWTClaimValidationFailed('"sub" claim is not a user id', payload, 'sub', 'check_failed')
  const sessionId = typeof payload.sid === 'string'
    ? payload.sid
    : undefined
  if (cache.size >= VERIFIED_CACHE_SIZE)
    cache.delete(cache.keys().next().value!)
  cache.set(cacheKey, { userId, sessionId, expiresAt: (payload.exp! + options.clockSkewSeconds) * 1000 })
  return { userId, sessionId }
}

async function verifySignatureAndClaims(keys: SigningKeySet, token: string, options: VerifyOptions) {
  let jwks = verifiers.get(keys)
  if (!jwks) {
    jwks = createLocalJWKSet(keys.jwks)
    verifiers.set(keys, jwks)
  }
  const { payload } = await jwtVerify(token, jwks, {
    issuer: options.issuer,
    audience: options.audience,
    algorithms: [
      ...new Set(keys.all.map(key => key.alg)),
    ],
    typ: ACCESS_TOKEN_TYPE,
    clockTolerance: options.clockSkewSeconds,
    requiredClaims: ['sub', 'exp', 'iat'],
  })
  // jose checks `iat` only against a maximum age. A token issued in the future is not one of ours, and checked here
  // it never reaches the cache, whose hits skip every claim but `exp`.
  if (payload.iat! > Math.floor(Date.now() / 1000) + options.clockSkewSeconds)
    throw new errors.JWTClaimValidationFailed('"iat" claim timestamp check failed (it should be in the past)', payload, 'iat', 'check_failed')
  return payload
}
