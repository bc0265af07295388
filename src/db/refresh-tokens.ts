import type { UserId } from '../domain/user-id'
import type { Database } from './client'
import { sql } from 'drizzle-orm'
import { roundTrip } from './errors'

/**
 * What presenting a refresh token did:
 * - `rotated`: it was live; it is retired and its successor stored.
 * - `reused`: it had already been exchanged for a successor, so a copy of it is in someone else's hands; its whole
 *   family (every token descended from the same sign-in) is revoked, now and for good.
 * - `refused`: unknown, expired, signed out, or of a family already revoked for reuse.
 */
export type RotationOutcome
  = | { outcome: 'rotated', userId: UserId }
    | { outcome: 'reused', userId: UserId }
    | { outcome: 'refused' }

/**
 * Swaps a live refresh token for a new one of the same family, or detects its reuse, in one statement. A token
 * rotated less than `graceSeconds` ago is swapped again rather than treated as reuse.
 *
 * The presented row is updated whatever its state, so concurrent uses of one token queue on its row lock and each
 * sees the latest version: exactly one rotates it; every other use finds it `rotated` and marks it `reused`. That
 * mark is what keeps the family dead: a statement cannot see a successor committed after it started (the loser of
 * a race cannot revoke the winner's new token), so rotation also refuses any token whose family holds a `reused`
 * row. Live tokens of the family that this statement can see are revoked at once as well.
 */
export async function rotateRefreshToken(db: Database, oldHash: string, newHash: string, expiresAt: Date, graceSeconds: number): Promise<RotationOutcome> {
  const result = await roundTrip(() => db.execute<{ user_id: UserId, revoked_reason: string }>(sql`
    WITH presented AS (
      UPDATE refresh_tokens AS t SET
        revoked_at = coalesce(t.revoked_at, now()),
        revoked_reason = CASE
          -- Rotated moments ago: another of the client's own requests that set out with the same token (two tabs,
          -- parallel calls) gets a sibling in the family, unless the family is already revoked.
          WHEN ${graceSeconds}::int > 0 AND t.revoked_reason = 'rotated' AND t.revoked_at > now() - make_interval(secs => ${graceSeconds}::int)
            AND NOT EXISTS (SELECT 1 FROM refresh_tokens AS f WHERE f.family_id = t.family_id AND f.revoked_reason = 'reused')
            THEN 'rotated'
          WHEN t.revoked_reason IN ('rotated', 'reused') THEN 'reused'
          WHEN t.revoked_at IS NOT NULL THEN t.revoked_reason
          WHEN EXISTS (
            SELECT 1 FROM refresh_tokens AS f WHERE f.family_id = t.family_id AND f.revoked_reason = 'reused'
          ) THEN 'family_revoked'
          ELSE 'rotated'
        END
      WHERE t.token_hash = ${oldHash} AND (t.revoked_at IS NOT NULL OR t.expires_at > now())
      RETURNING t.user_id, t.family_id, t.revoked_reason
    ), successor AS (
      INSERT INTO refresh_tokens (user_id, token_hash, family_id, expires_at)
      SELECT user_id, ${newHash}, family_id, ${expiresAt.toISOString()} FROM presented WHERE revoked_reason = 'rotated'
    ), family AS (
      UPDATE refresh_tokens SET revoked_at = now(), revoked_reason = 'family_revoked'
      WHERE family_id IN (SELECT family_id FROM presented WHERE revoked_reason = 'reused')
        AND revoked_at IS NULL AND token_hash <> ${oldHash}
    )
    SELECT user_id, revoked_reason FROM presented`))
  const row = result.rows[0]
  if (row?.revoked_reason === 'rotated' || row?.revoked_reason === 'reused')
    return { outcome: row.revoked_reason, userId: row.user_id }
  return { outcome: 'refused' }
}

export async function revokeRefreshToken(db: Database, hash: string): Promise<void> {
  await roundTrip(() => db.execute(sql`
    UPDATE refresh_tokens SET revoked_at = now(), revoked_reason = 'logout'
    WHERE token_hash = ${hash} AND revoked_at IS NULL`))
}

/** Signs the owner of a live refresh token out everywhere: every live refresh token of theirs, in one statement. */
export async function revokeAllRefreshTokensOfOwner(db: Database, hash: string): Promise<void> {
  await roundTrip(() => db.execute(sql`
    UPDATE refresh_tokens SET revoked_at = now(), revoked_reason = 'logout'
    WHERE revoked_at IS NULL AND user_id = (
      SELECT user_id FROM refresh_tokens WHERE token_hash = ${hash} AND revoked_at IS NULL AND expires_at > now()
    )`))
}
