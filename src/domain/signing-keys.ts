import type { JWK } from 'jose'
import { importJWK } from 'jose'

export type SigningAlgorithm = 'ES256' | 'EdDSA'

export interface SigningKey {
  kid: string
  alg: SigningAlgorithm
  privateKey: CryptoKey
  /** The public half as published in JWKS. */
  publicJwk: JWK
}

export interface SigningKeySet {
  /** The newest key signs; every key in the set still verifies, so keys can be rotated without logging anyone out. */
  current: SigningKey
  all: SigningKey[]
  jwks: { keys: JWK[] }
}

const PUBLIC_MEMBERS: Record<string, string[]> = {
  EC: ['kty', 'crv', 'x', 'y'],
  OKP: ['kty', 'crv', 'x'],
}

const cache = new Map<string, Promise<SigningKeySet>>()

/** Parses JWT_PRIVATE_KEYS (a JSON array of private JWKs, newest first, or a single JWK) once per isolate. */
export function loadSigningKeys(json: string): Promise<SigningKeySet> {
  let keySet = cache.get(json)
  if (!keySet) {
    keySet = importKeySet(json)
    // A bad secret should fail every request the same way, not be cached half-imported.
    keySet.catch(() => cache.delete(json))
    cache.set(json, keySet)
  }
  return keySet
}

async function importKeySet(json: string): Promise<SigningKeySet> {
  const parsed: unknown = JSON.parse(json)
  const jwks = (Array.isArray(parsed)
    ? parsed
    : [parsed]) as JWK[]
  const all = await Promise.all(jwks.map(importSigningKey))
  if (all.length === 0)
    throw new Error('JWT_PRIVATE_KEYS holds no key')
  return {
    current: all[0]!,
    all,
    jwks: {
      keys: all.map(key => key.publicJwk),
    },
  }
}

async function importSigningKey(jwk: JWK): Promise<SigningKey> {
  const alg = jwk.alg as SigningAlgorithm
  if (alg !== 'ES256' && alg !== 'EdDSA')
    throw new Error(`signing key ${jwk.kid ?? '(no kid)'}: alg must be ES256 or EdDSA`)
  if (!jwk.kid || !jwk.d)
    throw new Error('every signing key needs a kid and its private part')
  const members = PUBLIC_MEMBERS[jwk.kty ?? ''] ?? []
  const publicJwk: JWK = Object.fromEntries(members.map(name => [name, jwk[name as keyof JWK]]))
  Object.assign(publicJwk, { kid: jwk.kid, alg, use: 'sig' })
  const privateKey = await importJWK(jwk, alg) as CryptoKey
  return {
    kid: jwk.kid,
    alg,
    privateKey,
    publicJwk,
  }
}
