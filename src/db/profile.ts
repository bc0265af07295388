import type { UserId } from '../domain/user-id'
import type { Database } from './client'
import type { ProfileRow, ReferralKey, ReferralRow } from './user-row'
import { sql } from 'drizzle-orm'
import { roundTrip } from './errors'
import { profileColumns, referralsJson } from './user-row'

/** The user with their first `referralsLimit` referrals; null when the account is gone. */
export async function selectProfile(db: Database, userId: UserId, referralsLimit: number): Promise<ProfileRow | null> {
  const result = await roundTrip(() => db.execute<ProfileRow>(sql`
    SELECT ${profileColumns('me', referralsLimit)} FROM users me WHERE me.id = ${userId}`))
  return result.rows[0] ?? null
}

/**
 * Up to `limit` of the user's referrals after `after` (from the start without it), in one round trip; null when
 * the account is gone, so a deleted user is told so rather than shown an empty list.
 */
export async function selectReferrals(db: Database, userId: UserId, limit: number, after?: ReferralKey): Promise<ReferralRow[] | null> {
  const result = await roundTrip(() => db.execute<{ referrals: ReferralRow[] }>(sql`
    SELECT ${referralsJson(sql`me.id`, limit, after)} AS referrals FROM users me WHERE me.id = ${userId}`))
  return result.rows[0]?.referrals ?? null
}

export interface ProfileChanges {
  firstName?: string
  lastName?: string
  /** null clears the address; undefined leaves it alone. */
  email?: string | null
  inviterReferralCode?: string
}

export interface ReferralReward {
  inviteePoints: number
  inviterPoints: number
}

export type ProfileUpdateOutcome
  = | 'updated' | 'activated'
    | 'user_not_found' | 'code_not_found' | 'own_code' | 'already_activated' | 'cycle'

export interface ProfileUpdateResult {
  outcome: ProfileUpdateOutcome
  profile: ProfileRow | null
}

/**
 * Applies a profile edit and, when a code is given, the referral activation, as one statement: either the whole
 * change lands (fields, inviter link, both balances, both ledger rows) or, when the activation is refused, nothing.
 */
export async function updateProfile(db: Database, userId: UserId, changes: ProfileChanges, reward: ReferralReward, referralsLimit: number): Promise<ProfileUpdateResult> {
  const code = changes.inviterReferralCode ?? null
  const emailGiven = changes.email !== undefined
  const result = await roundTrip(() => db.execute<ProfileRow & { outcome: ProfileUpdateOutcome }>(sql`
    WITH RECURSIVE target AS (
      SELECT id FROM users WHERE referral_code = ${code}
    ), locked AS (
      -- Both rows are locked in id order, so concurrent activations touching them serialise without deadlock
      -- and the checks below read their latest committed state.
      -- An array, not "id = me OR id IN (target)": an OR with a subquery defeats the primary key and scans the table.
      SELECT id, inviter_id FROM users
      WHERE id = ANY(ARRAY[${userId}::uuid, (SELECT id FROM target)])
      ORDER BY id FOR UPDATE
    ), me AS (
      SELECT id, inviter_id FROM locked WHERE id = ${userId}
    ), ancestors AS (
      -- The inviter's chain of inviters: finding me in it means the inviter is my (indirect) invitee.
      SELECT inviter_id AS id, 1 AS depth FROM locked WHERE id IN (SELECT id FROM target) AND inviter_id IS NOT NULL
      UNION ALL
      SELECT users.inviter_id, ancestors.depth + 1 FROM users JOIN ancestors ON users.id = ancestors.id
      WHERE users.inviter_id IS NOT NULL AND ancestors.depth < 10000
    ), decision AS (
      SELECT CASE
        WHEN NOT EXISTS (SELECT 1 FROM me) THEN 'user_not_found'
        WHEN ${code}::text IS NULL THEN 'updated'
        WHEN NOT EXISTS (SELECT 1 FROM target) THEN 'code_not_found'
        WHEN (SELECT id FROM target) = ${userId} THEN 'own_code'
        WHEN (SELECT inviter_id FROM me) IS NOT NULL THEN 'already_activated'
        WHEN EXISTS (SELECT 1 FROM ancestors WHERE id = ${userId}) THEN 'cycle'
        ELSE 'activated'
      END AS outcome
    ), activation AS (
      SELECT target.id AS inviter_id FROM target, decision WHERE decision.outcome = 'activated'
    ), updated AS (
      UPDATE users SET
        first_name = coalesce(${changes.firstName ?? null}, users.first_name),
        last_name = coalesce(${changes.lastName ?? null}, users.last_name),
        email = CASE WHEN ${emailGiven} THEN ${changes.email ?? null} ELSE users.email END,
        inviter_id = coalesce((SELECT inviter_id FROM activation), users.inviter_id),
        invited_at = CASE WHEN EXISTS (SELECT 1 FROM activation) THEN now() ELSE users.invited_at END,
        points = users.points + CASE WHEN EXISTS (SELECT 1 FROM activation) THEN ${reward.inviteePoints}::int ELSE 0 END,
        updated_at = now()
      FROM decision
      WHERE users.id = ${userId} AND decision.outcome IN ('updated', 'activated')
      RETURNING users.*
    ), credited AS (
      UPDATE users SET points = users.points + ${reward.inviterPoints}::int, updated_at = now()
      FROM activation WHERE users.id = activation.inviter_id
    ), ledger AS (
      INSERT INTO points_ledger (user_id, amount, reason, invitee_id)
      SELECT ${userId}::uuid, ${reward.inviteePoints}::int, 'referral_invitee', ${userId}::uuid FROM activation
      UNION ALL
      SELECT inviter_id, ${reward.inviterPoints}::int, 'referral_inviter', ${userId}::uuid FROM activation
    )
    SELECT decision.outcome, ${profileColumns('updated', referralsLimit)}
    FROM decision LEFT JOIN updated ON true`))
  const row = result.rows[0]!
  const { outcome, ...profile } = row
  return {
    outcome,
    profile: outcome === 'updated' || outcome === 'activated'
      ? profile
      : null,
  }
}
