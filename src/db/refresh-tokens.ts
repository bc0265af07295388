import type { Database } from './client'
import { sql } from 'drizzle-orm'
import { roundTrip } from './errors'

/**
 * Swaps a live refresh token for a new one of the same family in one statement. The row lock taken by the
 * UPDATE makes two concurrent uses of one token race to a single winner. Null when the token is not live.
 */
export async function rotateRefreshToken(db: Database, oldHash: string, newHash: string, expiresAt: Date): Promise<string | null> {
  const result = await roundTrip(() => db.execute<{ user_id: string }>(sql`
    WITH used AS (
      UPDATE refresh_tokens SET revoked_at = now(), revoked_reason = 'rotated'
      WHERE token_hash = ${oldHash} AND revoked_at IS NULL AND expires_at > now()
      RETURNING user_id, family_id
    )
    INSERT INTO refresh_tokens (user_id, token_hash, family_id, expires_at)
    SELECT user_id, ${newHash}, family_id, ${expiresAt.toISOString()} FROM used
    RETURNING user_id`))
  return result.rows[0]?.user_id ?? null
}

export async function revokeRefreshToken(db: Database, hash: string): Promise<void> {
  await roundTrip(() => db.execute(sql`
    UPDATE refresh_tokens SET revoked_at = now(), revoked_reason = 'logout'
    WHERE token_hash = ${hash} AND revoked_at IS NULL`))
}
