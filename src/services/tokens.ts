import type { AccessTokenClaims } from '../domain/access-token'
import type { UserId } from '../domain/user-id'
import type { Services } from './container'
import { issueAccessToken, verifyAccessToken } from '../domain/access-token'
import { loadSigningKeys } from '../domain/signing-keys'
import { Unauthenticated } from '../lib/errors'

export interface TokenPair {
  access: string
  refresh: string
  token_type: 'Bearer'
  expires_in: number
}

/** A fresh access token for the session `sessionId` (the refresh token's family), with its refresh token. */
export async function tokenPair(services: Services, userId: UserId, sessionId: string, refreshToken: string): Promise<TokenPair> {
  const { config } = services
  const keys = await loadSigningKeys(config.JWT_PRIVATE_KEYS)
  const access = await issueAccessToken(keys, userId, sessionId, {
    issuer: config.JWT_ISSUER,
    audience: config.JWT_AUDIENCE,
    ttlSeconds: config.ACCESS_TOKEN_TTL_SECONDS,
  })
  return {
    access,
    refresh: refreshToken,
    token_type: 'Bearer',
    expires_in: config.ACCESS_TOKEN_TTL_SECONDS,
  }
}

export function refreshTokenExpiry(services: Services): Date {
  return new Date(Date.now() + services.config.REFRESH_TOKEN_TTL_SECONDS * 1000)
}

/** The claims of a valid access token; Unauthenticated for anything else, whatever jose's reason. */
export async function authenticateAccessToken(services: Services, token: string): Promise<AccessTokenClaims> {
  const { config } = services
  const keys = await loadSigningKeys(config.JWT_PRIVATE_KEYS)
  try {
    return await verifyAccessToken(keys, token, {
      issuer: config.JWT_ISSUER,
      audience: config.JWT_AUDIENCE,
      clockSkewSeconds: config.ACCESS_TOKEN_CLOCK_SKEW_SECONDS,
    })
  }
  catch (error) {
    throw new Unauthenticated('The access token is invalid or has expired.', 'invalid_token', { cause: error })
  }
}
