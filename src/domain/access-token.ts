import type { SigningKeySet } from './signing-keys'
import { createLocalJWKSet, jwtVerify, SignJWT } from 'jose'

// RFC 9068 type: a token of another kind signed with the same keys is never accepted as an access token.
const ACCESS_TOKEN_TYPE = 'at+jwt'

export interface AccessTokenOptions {
  issuer: string
  audience: string
  ttlSeconds: number
}

export function issueAccessToken(keys: SigningKeySet, userId: string, options: AccessTokenOptions): Promise<string> {
  const { current } = keys
  return new SignJWT({})
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
 * Returns the user id of a valid token; throws jose's errors for anything else. Only our keys' algorithms are
 * accepted, so `alg: none` and HMAC tokens keyed with a public key (algorithm confusion) never verify.
 */
export async function verifyAccessToken(keys: SigningKeySet, token: string, options: VerifyOptions): Promise<string> {
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
  return payload.sub!
}
