import type { Services } from './container'
import type { TokenPair } from './tokens'
import { revokeRefreshToken, rotateRefreshToken } from '../db/refresh-tokens'
import { hashRefreshToken, newRefreshToken } from '../domain/refresh-token'
import { InvalidRefreshToken } from '../lib/errors'
import { refreshTokenExpiry, tokenPair } from './tokens'

/** Trades a refresh token for a new pair; the presented token stops working (rotation). */
export async function refreshSession(services: Services, refreshToken: string): Promise<TokenPair> {
  const next = await newRefreshToken()
  const userId = await rotateRefreshToken(services.db, await hashRefreshToken(refreshToken), next.hash, refreshTokenExpiry(services))
  if (!userId)
    throw new InvalidRefreshToken('The refresh token is unknown, expired or already used. Sign in again.')
  return tokenPair(services, userId, next.token)
}

/** Revoking is idempotent: an unknown or already revoked token is simply not live afterwards either. */
export async function endSession(services: Services, refreshToken: string): Promise<void> {
  await revokeRefreshToken(services.db, await hashRefreshToken(refreshToken))
}
