import type { SQL } from 'drizzle-orm'
import { sql } from 'drizzle-orm'

/* eslint-disable ts/consistent-type-definitions -- drizzle's execute<T> needs rows that fit Record<string, unknown>, which interfaces do not */

/** A user as every query returns it, with column names as the API spells them. */
export type UserRow = {
  id: string
  phone_number: string
  first_name: string
  last_name: string
  email: string | null
  referral_code: string
  inviter_referral_code: string | null
  points: number
}

export type ReferralRow = {
  first_name: string
  last_name: string
  phone_number: string
  joined_at: string
}

/* eslint-enable ts/consistent-type-definitions */

export type ProfileRow = UserRow & {
  referrals_count: number
  referrals: ReferralRow[]
}

/** The select list of a UserRow for the users row aliased `alias`. */
export function userColumns(alias: string): SQL {
  const u = sql.identifier(alias)
  return sql`${u}.id, ${u}.phone_number, ${u}.first_name, ${u}.last_name, ${u}.email, ${u}.referral_code, ${u}.points,
    (SELECT inviter.referral_code FROM users inviter WHERE inviter.id = ${u}.inviter_id) AS inviter_referral_code`
}

/**
 * The select list of a ProfileRow: the user plus their referrals, aggregated in Postgres so a profile is one
 * round trip. Both subqueries use users_inviter_id_invited_at_idx.
 */
export function profileColumns(alias: string): SQL {
  const u = sql.identifier(alias)
  return sql`${userColumns(alias)},
    (SELECT count(*)::int FROM users referral WHERE referral.inviter_id = ${u}.id) AS referrals_count,
    (SELECT coalesce(json_agg(json_build_object(
        'first_name', referral.first_name,
        'last_name', referral.last_name,
        'phone_number', referral.phone_number,
        'joined_at', referral.invited_at
      ) ORDER BY referral.invited_at DESC, referral.id), '[]'::json)
     FROM users referral WHERE referral.inviter_id = ${u}.id) AS referrals`
}
