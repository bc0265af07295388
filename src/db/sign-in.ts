import type { E164 } from '../domain/phone-number'
import type { Database } from './client'
import type { UserRow } from './user-row'
import type { WebhookEvent } from './webhook-events'
import { sql } from 'drizzle-orm'
import { isUniqueViolation, roundTrip } from './errors'
import { userColumns } from './user-row'
import { eventsJson, recordEvents } from './webhook-events'

export interface NewSession {
  /** The session's id: its refresh-token family, named by the access token's `sid`. */
  familyId: string
  refreshTokenHash: string
  expiresAt: Date
  deviceLabel: string | null
  /**
   * The number's key in rewarded_numbers: a number that earned an invitee reward under an earlier account joins
   * marked, so it cannot earn it again.
   */
  rewardKey: string
  /**
   * The keyed hash of the client's network, recorded for the referral signals (domain/client-network.ts); the
   * sign-in service always gives it, a caller without a client (a test of this statement alone) may not.
   */
  network?: string
}

export type SignedInUser = UserRow & { is_new: boolean, events: WebhookEvent[] }

const REFERRAL_CODE_ATTEMPTS = 5

/**
 * Creates the user on first sign-in (or finds the existing one) and stores their new refresh token, in one
 * statement: one round trip, and never a user without a session or a session without a user. A new user's
 * user.created event is recorded in the same statement when `webhooks` is on.
 */
export async function signInUser(db: Database, phoneNumber: E164, session: NewSession, newReferralCode: () => string, webhooks: boolean): Promise<SignedInUser> {
  // A referral code collision (1 in ~10^9 per existing user) only fails the insert; a fresh code is tried.
  for (let attempt = 1; ; attempt++) {
    try {
      return await upsertUserWithSession(db, phoneNumber, session, newReferralCode(), webhooks)
    }
    catch (error) {
      if (attempt >= REFERRAL_CODE_ATTEMPTS || !isUniqueViolation(error, 'users_referral_code_key'))
        throw error
    }
  }
}

async function upsertUserWithSession(db: Database, phoneNumber: E164, session: NewSession, referralCode: string, webhooks: boolean): Promise<SignedInUser> {
  // DO UPDATE (not DO NOTHING) so RETURNING yields the row even when a concurrent sign-in inserted it first;
  // xmax = 0 only for a row this statement inserted.
  const result = await roundTrip(() => db.execute<SignedInUser>(sql`
    WITH signed_in AS (
      INSERT INTO users (phone_number, referral_code, number_rewarded_before)
      VALUES (${phoneNumber}, ${referralCode}, EXISTS (SELECT 1 FROM rewarded_numbers WHERE number_hash = ${session.rewardKey}))
      ON CONFLICT (phone_number) DO UPDATE SET last_sign_in_at = now()
      RETURNING *, (xmax = 0) AS is_new
    ), session AS (
      INSERT INTO refresh_tokens (user_id, token_hash, family_id, expires_at, device_label)
      SELECT id, ${session.refreshTokenHash}, ${session.familyId}, ${session.expiresAt.toISOString()}, ${session.deviceLabel} FROM signed_in
    ), seen AS (
      INSERT INTO user_networks (user_id, network_hash) SELECT id, ${session.network ?? null}::text FROM signed_in
      WHERE ${session.network ?? null}::text IS NOT NULL
      ON CONFLICT (user_id, network_hash) DO UPDATE SET seen_at = now()
    ), events AS (
      ${recordEvents(webhooks, sql`
        SELECT 'user.created', jsonb_build_object('user_id', id, 'phone_number', phone_number, 'referral_code', referral_code)
        FROM signed_in WHERE is_new`)}
    )
    SELECT ${userColumns('signed_in')}, signed_in.is_new, ${eventsJson('events')} AS events FROM signed_in`))
  return result.rows[0]!
}
