import type { RequestContext } from '../lib/request-context'
import type { Services } from './container'
import type { TokenPair } from './tokens'
import { revokeAllRefreshTokensOfOwner, revokeRefreshToken, rotateRefreshToken } from '../db/refresh-tokens'
import { hashRefreshToken, newRefreshToken } from '../domain/refresh-token'
import { InvalidRefreshToken } from '../lib/errors'
import { refreshTokenExpiry, tokenPair } from './tokens'

/**
 * Trades a refresh token for a new pair; the presented token stops working (rotation). Presenting a token that was
 * already rotated means two parties hold it, and we cannot tell which is the thief: the whole family is revoked and
 * the event goes into the request's log line. Within REFRESH_TOKEN_REUSE_GRACE_SECONDS of its rotation it is the
 * client's own concurrent refresh, not reuse.
 */
export async function refreshSession(services: Services, refreshToken: string, request: RequestContext): Promise<TokenPair> {
  const next = await newRefreshToken()
  const rotation = await rotateRefreshToken(services.db, await hashRefreshToken(refreshToken), next.hash, refreshTokenExpiry(services), services.config.REFRESH_TOKEN_REUSE_GRACE_SECONDS)
  if (rotation.outcome === 'rotated') {
    request.userId = rotation.userId
    return tokenPair(services, rotation.userId, next.token)
  }
  if (rotation.outcome === 'reused') {
    request.userId = rotation.userId
    request.securityEvent = 'refresh_token_reused'
    throw new InvalidRefreshToken('This refresh token was already used, so it may have been copied: every session of this sign-in has been ended. Sign in again.')
  }
  throw new InvalidRefreshToken('The refresh token is unknown, expired or already used. Sign in again.')
}

/**
 * Signs out one session, or with `everywhere` every session of the token's owner. Idempotent: an unknown or already
 * revoked token is simply not live afterwards either (and signs nobody out everywhere).
 */
export async function endSession(services: Services, refreshToken: string, everywhere: boolean): Promise<void> {
  const hash = await hashRefreshToken(refreshToken)
  if (everywhere)
    await revokeAllRefreshTokensOfOwner(services.db, hash)
  else
    await revokeRefreshToken(services.db, hash)
}
