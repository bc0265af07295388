import type { SQL } from 'drizzle-orm'
import type { E164 } from '../domain/phone-number'
import type { RewardState } from '../domain/referral-rules'
import type { UserId } from '../domain/user-id'
import { sql } from 'drizzle-orm'

/* eslint-disable ts/consistent-type-definitions -- drizzle's execute<T> needs rows that fit Record<string, unknown>, which interfaces do not */

/** A user as every query returns it, with column names as the API spells them. */
export type UserRow = {
  id: UserId
  phone_number: E164
  first_name: string
  last_name: string
  email: string | null
  referral_code: string
  inviter_referral_code: string | null
  points: number
}

/** One referral as the list queries return it; `invited_at` keeps Postgres' microseconds, so it can key a page. */
export type ReferralRow = {
  id: UserId
  first_name: string
  last_name: string
  phone_number: E164
  invited_at: string
  /** The state of the inviter's reward for this referral. */
  state: RewardState
}

/* eslint-enable ts/consistent-type-definitions */

export type ProfileRow = UserRow & {
  /** What the user's pending rewards are worth: not spendable until qualified. */
  pending_points: number
  referrals_count: number
  /** The newest referrals, at most the `referralsLimit` given to profileColumns. */
  referrals: ReferralRow[]
}

/** The select list of a UserRow for the users row aliased `alias`. */
export function userColumns(alias: string): SQL {
  const u = sql.identifier(alias)
  return sql`${u}.id, ${u}.phone_number, ${u}.first_name, ${u}.last_name, ${u}.email, ${u}.referral_code, ${u}.points,
    (SELECT inviter.referral_code FROM users inviter WHERE inviter.id = ${u}.inviter_id) AS inviter_referral_code`
}

/** Where a page of referrals starts: after this (invited_at, id), in the list's order. */
export interface ReferralKey {
  invitedAt: string
  id: string
}

/**
 * A JSON array of the referrals of user `inviterId` (an SQL expression), newest first (ties by id), at most `limit`
 * of them, starting after `after`. The ORDER BY is exactly users_inviter_id_invited_at_idx's order (`NULLS LAST`
 * included; a referral always has invited_at), and the key bound is an index condition, so any page, first or deep
 * in a long list, reads about `limit` index entries: no sort, nothing read and skipped.
 */
export function referralsJson(inviterId: SQL, limit: number, after?: ReferralKey): SQL {
  const keyset = after
    ? sql`AND referral.invited_at <= ${after.invitedAt}::timestamptz
      AND (referral.invited_at < ${after.invitedAt}::timestamptz OR referral.id > ${after.id}::uuid)`
    : sql``
  return sql`(SELECT coalesce(json_agg(json_build_object(
        'id', page.id,
        'first_name', page.first_name,
        'last_name', page.last_name,
        'phone_number', page.phone_number,
        'invited_at', to_char(page.invited_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
        -- One lookup on points_ledger_reward_key per referral; a referral with no row was paid before the ledger.
        'state', coalesce((SELECT reward.state FROM points_ledger reward
          WHERE reward.user_id = ${inviterId} AND reward.reason = 'referral_inviter' AND reward.invitee_id = page.id), 'paid')
      ) ORDER BY page.invited_at DESC NULLS LAST, page.id), '[]'::json)
    FROM (
      SELECT referral.id, referral.first_name, referral.last_name, referral.phone_number, referral.invited_at
      FROM users referral
      WHERE referral.inviter_id = ${inviterId} ${keyset}
      ORDER BY referral.invited_at DESC NULLS LAST, referral.id
      LIMIT ${limit}
    ) page)`
}

/**
 * The select list of a ProfileRow: the user, the number of their referrals and the first `referralsLimit` of them,
 * aggregated in Postgres so a profile is one round trip. The referral subqueries use users_inviter_id_invited_at_idx
 * (the count reads only the index), pending_points the partial points_ledger_pending_user_id_idx; the list is bounded
 * however many referrals there are.
 */
export function profileColumns(alias: string, referralsLimit: number): SQL {
  const u = sql.identifier(alias)
  return sql`${userColumns(alias)},
    (SELECT coalesce(sum(pending.award), 0)::int FROM points_ledger pending
      WHERE pending.user_id = ${u}.id AND pending.state = 'pending') AS pending_points,
    (SELECT count(*)::int FROM users referral WHERE referral.inviter_id = ${u}.id) AS referrals_count,
    ${referralsJson(sql`${u}.id`, referralsLimit)} AS referrals`
}
