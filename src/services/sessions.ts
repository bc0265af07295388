import type { SessionRow } from '../db/refresh-tokens'
import type { UserId } from '../domain/user-id'
import type { RequestContext } from '../lib/request-context'
import type { Services } from './container'
import type { TokenPair } from './tokens'
import { endAllRefreshTokenFamiliesOfOwner, endOtherSessionsOfUser, endRefreshTokenFamily, endSessionOfUser, rotateRefreshToken, selectSessions } from '../db/refresh-tokens'
import { hashRefreshToken, newRefreshToken } from '../domain/refresh-token'
import { InvalidRefreshToken, SessionNotFound } from '../lib/errors'
import { userGone } from './profile'
import { refreshTokenExpiry, tokenPair } from './tokens'

/**
 * Trades a refresh token for a new pair; the presented token stops working (rotation). Presenting a token that was
 * already rotated means two parties hold it, and we cannot tell which is the thief: the whole family is ended and
 * the event goes into the request's log line. Within REFRESH_TOKEN_REUSE_GRACE_SECONDS of its rotation it is the
 * client's own concurrent refresh, not reuse, and gets one sibling pair; any further use in that moment, or one
 * after the session was signed out, is refused and logged, so a copy can neither fork a session nor outlive it.
 */
export async function refreshSession(services: Services, refreshToken: string, request: RequestContext): Promise<TokenPair> {
  const next = await newRefreshToken()
  const rotation = await rotateRefreshToken(services.db, await hashRefreshToken(refreshToken), next.hash, refreshTokenExpiry(services), services.config.REFRESH_TOKEN_REUSE_GRACE_SECONDS)
  if (rotation.outcome === 'rotated') {
    request.userId = rotation.userId
    return tokenPair(services, rotation.userId, rotation.familyId, next.token)
  }
  if (rotation.outcome === 'reused') {
    request.userId = rotation.userId
    request.securityEvent = 'refresh_token_reused'
    throw new InvalidRefreshToken('This refresh token was already used, so it may have been copied: every session of this sign-in has been ended. Sign in again.')
  }
  if (rotation.outcome === 'grace_refused') {
    request.userId = rotation.userId
    request.securityEvent = 'refresh_token_grace_refused'
  }
  throw new InvalidRefreshToken('The refresh token is unknown, expired or already used. Sign in again.')
}

/**
 * Signs out one session (every token of its sign-in, so no tab or copy of it refreshes again), or with `everywhere`
 * every session of the token's owner. Idempotent: an unknown token is simply not live afterwards either; a token
 * that is not live any more signs nobody out everywhere.
 */
export async function endSession(services: Services, refreshToken: string, everywhere: boolean): Promise<void> {
  const hash = await hashRefreshToken(refreshToken)
  if (everywhere)
    await endAllRefreshTokenFamiliesOfOwner(services.db, hash)
  else
    await endRefreshTokenFamily(services.db, hash)
}

export type Session = ReturnType<typeof presentSession>

function presentSession(row: SessionRow, currentSessionId: string | undefined) {
  return {
    id: row.id,
    device: row.device_label,
    created_at: new Date(row.created_at).toISOString(),
    last_used_at: new Date(row.last_used_at).toISOString(),
    current: row.id === currentSessionId,
  }
}

/** The user's live sessions, the one `currentSessionId` names (the caller's) marked as current. */
export async function listSessions(services: Services, userId: UserId, currentSessionId: string | undefined): Promise<Session[]> {
  const rows = await selectSessions(services.db, userId)
  if (!rows)
    throw userGone()
  return rows.map(row => presentSession(row, currentSessionId))
}

/**
 * Ends one of the user's sessions, as signing out there would; the caller's own included. Access tokens already
 * issued to it stay valid until they expire, as after any sign-out.
 */
export async function endSessionById(services: Services, userId: UserId, sessionId: string): Promise<void> {
  if (!await endSessionOfUser(services.db, userId, sessionId))
    throw new SessionNotFound('You have no live session with this id.')
}

/**
 * Signs out every session of the user but the caller's own: for a lost or sold device, without signing in again
 * here. An access token from before sessions had ids names none, and then every session ends, its own included.
 */
export async function endOtherSessionsById(services: Services, userId: UserId, currentSessionId: string | undefined): Promise<void> {
  await endOtherSessionsOfUser(services.db, userId, currentSessionId)
}
