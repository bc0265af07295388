import type { SQL } from 'drizzle-orm'
import type { UserId } from '../domain/user-id'
import type { Database } from './client'
import { sql } from 'drizzle-orm'
import { roundTrip } from './errors'

/**
 * What presenting a refresh token did:
 * - `rotated`: it was live, or rotated moments ago and not yet forked (the grace period); a successor is stored.
 * - `reused`: it had already been exchanged for a successor, so a copy of it is in someone else's hands; its whole
 *   family (every token descended from the same sign-in) is ended, now and for good.
 * - `grace_refused`: rotated moments ago, but its one grace sibling was already issued or its family has ended.
 * - `refused`: unknown, expired, signed out, or of a family that has ended.
 */
export type RotationOutcome
  = | { outcome: 'rotated', userId: UserId, familyId: string }
    | { outcome: 'reused', userId: UserId }
    | { outcome: 'grace_refused', userId: UserId }
    | { outcome: 'refused' }

/**
 * Whether the family of the refresh_tokens row `alias` has ended, as far as this statement's snapshot shows. A
 * successor stored by a rotation that raced the end is not marked itself (the ender could not see it), so a token
 * is judged by its whole family, not by its own row.
 */
function familyEnded(alias: string): SQL {
  return sql`EXISTS (SELECT 1 FROM refresh_tokens AS f WHERE f.family_id = ${sql.raw(alias)}.family_id AND f.family_ended_at IS NOT NULL)`
}

/** The SET of a statement ending families (rows as `t`): live tokens are revoked, and every row carries the mark. */
function endFamily(liveTokens: 'logout' | 'family_revoked'): SQL {
  return sql`revoked_at = coalesce(t.revoked_at, now()), revoked_reason = coalesce(t.revoked_reason, ${liveTokens}), family_ended_at = now()`
}

/**
 * Swaps a live refresh token for a new one of the same family, or detects its reuse, in one statement. A token
 * rotated less than `graceSeconds` ago is swapped once more (a sibling) rather than treated as reuse.
 *
 * The presented row is locked first (FOR UPDATE), so concurrent uses of one token queue on it and each is judged
 * on its latest version: one rotates it, one more may take its grace sibling, and the rest are refused. What a
 * statement cannot see is a row committed after it started, such as the successor of a rotation it raced: so
 * ending a family marks every row of it, and a token whose family holds a mark never rotates again.
 */
export async function rotateRefreshToken(db: Database, oldHash: string, newHash: string, expiresAt: Date, graceSeconds: number): Promise<RotationOutcome> {
  const result = await roundTrip(() => db.execute<{ user_id: UserId, family_id: string, outcome: string }>(sql`
    WITH presented AS MATERIALIZED (
      SELECT t.id, t.user_id, t.family_id, t.session_started_at, t.device_label, CASE
        -- The row's own mark is read from its locked version; the family's from the snapshot.
        WHEN t.revoked_at IS NULL AND (t.family_ended_at IS NOT NULL OR ${familyEnded('t')}) THEN 'family_revoked'
        WHEN t.revoked_at IS NULL THEN 'rotated'
        -- Rotated moments ago: another of the client's own requests that set out with the same token (two tabs,
        -- parallel calls). Off means off: a rotation committed during this statement can be later than its now().
        WHEN ${graceSeconds}::int > 0 AND t.revoked_reason = 'rotated' AND t.revoked_at > now() - make_interval(secs => ${graceSeconds}::int)
          THEN CASE
            WHEN t.grace_sibling_issued OR t.family_ended_at IS NOT NULL OR ${familyEnded('t')} THEN 'grace_refused'
            ELSE 'sibling'
          END
        WHEN t.revoked_reason IN ('rotated', 'reused') THEN 'reused'
        ELSE 'refused'
      END AS outcome
      FROM refresh_tokens AS t
      WHERE t.token_hash = ${oldHash} AND (t.revoked_at IS NOT NULL OR t.expires_at > now())
      FOR UPDATE
    ), retired AS (
      UPDATE refresh_tokens AS t SET
        revoked_at = coalesce(t.revoked_at, now()),
        revoked_reason = CASE p.outcome WHEN 'sibling' THEN t.revoked_reason ELSE p.outcome END,
        grace_sibling_issued = t.grace_sibling_issued OR p.outcome = 'sibling',
        family_ended_at = CASE WHEN p.outcome IN ('reused', 'family_revoked') THEN coalesce(t.family_ended_at, now()) ELSE t.family_ended_at END
      FROM presented AS p
      WHERE t.id = p.id AND p.outcome IN ('rotated', 'sibling', 'reused', 'family_revoked')
    ), successor AS (
      INSERT INTO refresh_tokens (user_id, token_hash, family_id, expires_at, session_started_at, device_label)
      SELECT user_id, ${newHash}, family_id, ${expiresAt.toISOString()}, session_started_at, device_label
      FROM presented WHERE outcome IN ('rotated', 'sibling')
    ), family AS (
      UPDATE refresh_tokens AS t SET ${endFamily('family_revoked')}
      FROM presented AS p
      WHERE p.outcome = 'reused' AND t.family_id = p.family_id AND t.id <> p.id AND t.family_ended_at IS NULL
    )
    SELECT user_id, family_id, outcome FROM presented`))
  const row = result.rows[0]
  switch (row?.outcome) {
    case 'rotated':
    case 'sibling':
      return { outcome: 'rotated', userId: row.user_id, familyId: row.family_id }
    case 'reused':
    case 'grace_refused':
      return { outcome: row.outcome, userId: row.user_id }
    default:
      return { outcome: 'refused' }
  }
}

/** Ends the whole family of the presented token, whatever that token's state: one session ends, on every tab. */
export async function endRefreshTokenFamily(db: Database, hash: string): Promise<void> {
  await roundTrip(() => db.execute(sql`
    UPDATE refresh_tokens AS t SET ${endFamily('logout')}
    WHERE t.family_ended_at IS NULL AND t.family_id = (
      SELECT family_id FROM refresh_tokens WHERE token_hash = ${hash} AND (revoked_at IS NOT NULL OR expires_at > now())
    )`))
}

/**
 * Signs the owner of a live refresh token out everywhere: every family of theirs ends, in one statement. Only a
 * token that could still be refreshed has that power, never a retired or expired copy.
 */
export async function endAllRefreshTokenFamiliesOfOwner(db: Database, hash: string): Promise<void> {
  await roundTrip(() => db.execute(sql`
    UPDATE refresh_tokens AS t SET ${endFamily('logout')}
    WHERE t.family_ended_at IS NULL AND t.user_id = (
      SELECT o.user_id FROM refresh_tokens AS o
      WHERE o.token_hash = ${hash} AND o.revoked_at IS NULL AND o.expires_at > now() AND NOT ${familyEnded('o')}
    )`))
}

/* eslint-disable ts/consistent-type-definitions -- drizzle's execute<T> needs rows that fit Record<string, unknown> */
/** A live session: a family with a token that can still be refreshed. Times as Postgres' JSON writes them. */
export type SessionRow = {
  id: string
  created_at: string
  last_used_at: string
  device_label: string | null
}
/* eslint-enable ts/consistent-type-definitions */

/**
 * The user's live sessions, most recently used first, in one round trip; null when the account is gone. A family
 * is live while one of its tokens can be refreshed; its newest live token's creation is its last use (the sign-in
 * or the latest refresh), and a grace sibling is the same session, not a second one.
 */
export async function selectSessions(db: Database, userId: UserId): Promise<SessionRow[] | null> {
  const result = await roundTrip(() => db.execute<{ sessions: SessionRow[] }>(sql`
    SELECT (
      SELECT coalesce(json_agg(s ORDER BY s.last_used_at DESC, s.id), '[]'::json) FROM (
        SELECT DISTINCT ON (t.family_id) t.family_id AS id, t.session_started_at AS created_at, t.created_at AS last_used_at, t.device_label
        FROM refresh_tokens AS t
        WHERE t.user_id = me.id AND t.revoked_at IS NULL AND t.expires_at > now() AND NOT ${familyEnded('t')}
        ORDER BY t.family_id, t.created_at DESC
      ) AS s
    ) AS sessions
    FROM users AS me WHERE me.id = ${userId}`))
  return result.rows[0]?.sessions ?? null
}

/**
 * Ends the user's live session `familyId`, as signing out of it would; false when the user has no live session
 * with that id (someone else's id is never touched: the owner is part of the match).
 */
export async function endSessionOfUser(db: Database, userId: UserId, familyId: string): Promise<boolean> {
  const result = await roundTrip(() => db.execute<{ found: boolean }>(sql`
    WITH live AS (
      SELECT 1 FROM refresh_tokens AS t
      WHERE t.user_id = ${userId} AND t.family_id = ${familyId} AND t.revoked_at IS NULL AND t.expires_at > now() AND NOT ${familyEnded('t')}
      LIMIT 1
    ), ended AS (
      UPDATE refresh_tokens AS t SET ${endFamily('logout')}
      WHERE t.user_id = ${userId} AND t.family_id = ${familyId} AND t.family_ended_at IS NULL AND EXISTS (SELECT 1 FROM live)
    )
    SELECT EXISTS (SELECT 1 FROM live) AS found`))
  return result.rows[0]?.found === true
}

/**
 * Ends every session of the user but `keepFamilyId` (the caller's, which continues). Used by a number change, in
 * the same statement as the change itself, so it is an SQL fragment over the changed user's id.
 */
export function endOtherSessions(userId: SQL, keepFamilyId: string | undefined): SQL {
  return sql`UPDATE refresh_tokens AS t SET ${endFamily('logout')}
    WHERE t.user_id = ${userId} AND t.family_ended_at IS NULL AND t.family_id IS DISTINCT FROM ${keepFamilyId ?? null}::uuid`
}

/** Signs the user out of every session but `keepFamilyId` (the caller's, which continues), in one statement. */
export async function endOtherSessionsOfUser(db: Database, userId: UserId, keepFamilyId: string | undefined): Promise<void> {
  await roundTrip(() => db.execute(endOtherSessions(sql`${userId}::uuid`, keepFamilyId)))
}

/**
 * Deletes at most about `batchSize` refresh-token rows that can never matter again: those of families that ended
 * more than `retentionDays` ago (every row of the family at once, so a successor that raced the end and carries no
 * mark of its own never outlives the rows that mark its family), and rows that expired more than `retentionDays`
 * ago. A rotated token of a live family is kept until then, so presenting it is still caught as reuse. Returns how
 * many rows went; one short statement, so no lock is held for long.
 */
export async function deleteRetiredRefreshTokens(db: Database, retentionDays: number, batchSize: number): Promise<number> {
  const result = await roundTrip(() => db.execute<{ deleted: number }>(sql`
    WITH ended AS (
      SELECT family_id FROM refresh_tokens
      WHERE family_ended_at < now() - make_interval(days => ${retentionDays}::int)
      LIMIT ${batchSize}
    ), expired AS (
      SELECT id FROM refresh_tokens
      WHERE expires_at < now() - make_interval(days => ${retentionDays}::int) AND family_ended_at IS NULL
      LIMIT ${batchSize}
    ), deleted AS (
      DELETE FROM refresh_tokens
      WHERE family_id IN (SELECT family_id FROM ended) OR id IN (SELECT id FROM expired)
      RETURNING 1
    )
    SELECT count(*)::int AS deleted FROM deleted`))
  return result.rows[0]?.deleted ?? 0
}
