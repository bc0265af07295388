import type { E164 } from '../domain/phone-number'
import type { UserId } from '../domain/user-id'
import type { Database } from './client'
import type { ProfileRow } from './user-row'
import type { WebhookEvent } from './webhook-events'
import { sql } from 'drizzle-orm'
import { isUniqueViolation, roundTrip } from './errors'
import { endOtherSessions } from './refresh-tokens'
import { profileColumns } from './user-row'
import { eventsJson, recordEvents } from './webhook-events'

/** The user's phone number, or null when the account is gone. */
export async function selectPhoneNumber(db: Database, userId: UserId): Promise<E164 | null> {
  const result = await roundTrip(() => db.execute<{ phone_number: E164 }>(sql`
    SELECT phone_number FROM users WHERE id = ${userId}`))
  return result.rows[0]?.phone_number ?? null
}

/**
 * Deletes the account, in one statement: the users row, and by its foreign keys the user's refresh tokens (every
 * session) and ledger rows. People they invited keep their accounts and points (their inviter link becomes null),
 * and an inviter's ledger rows earned from this user stay with a null invitee, so every remaining balance still
 * equals its ledger. A number that earned an invitee reward is recorded under `rewardKey` so it cannot earn it again.
 * Only while the account still has `phoneNumber` (the number the code proved): null when it is gone or has moved.
 * The user.deleted event is recorded in the same statement when `webhooks` is on.
 */
export async function deleteUser(db: Database, userId: UserId, phoneNumber: E164, rewardKey: string, webhooks: boolean): Promise<{ events: WebhookEvent[] } | null> {
  const result = await roundTrip(() => db.execute<{ deleted: boolean, events: WebhookEvent[] }>(sql`
    WITH rewarded AS (
      -- Read from the statement's snapshot, before the cascade removes the ledger rows. The ledger, not the inviter
      -- link, which becomes null when the inviter deletes their own account.
      SELECT 1 FROM users me
      WHERE me.id = ${userId} AND (me.number_rewarded_before OR me.inviter_id IS NOT NULL OR EXISTS (
        SELECT 1 FROM points_ledger WHERE user_id = me.id AND reason = 'referral_invitee'))
    ), gone AS (
      DELETE FROM users WHERE id = ${userId} AND phone_number = ${phoneNumber} RETURNING id
    ), recorded AS (
      INSERT INTO rewarded_numbers (number_hash)
      SELECT ${rewardKey} FROM gone WHERE EXISTS (SELECT 1 FROM rewarded)
      ON CONFLICT (number_hash) DO NOTHING
    ), events AS (
      ${recordEvents(webhooks, sql`SELECT 'user.deleted', jsonb_build_object('user_id', id) FROM gone`)}
    )
    SELECT EXISTS (SELECT 1 FROM gone) AS deleted, ${eventsJson('events')} AS events`))
  const row = result.rows[0]
  return row?.deleted
    ? { events: row.events }
    : null
}

export interface NumberChange {
  newPhoneNumber: E164
  /** The new number's key in rewarded_numbers: a number that already earned an invitee reward brings that along. */
  newRewardKey: string
  /** The caller's session, which continues; every other session of the user ends. */
  keepSessionId: string | undefined
}

/**
 * Moves the user to a new number in one statement: the old number is free the moment it commits, every other
 * session ends, and the referral code, inviter and points stay. 'taken' when another account holds the number; the
 * unique index decides, so of two users claiming one number at once exactly one gets it (the other waits for the
 * first to commit, then fails). null when the account is gone.
 */
export async function changePhoneNumber(db: Database, userId: UserId, change: NumberChange, referralsLimit: number): Promise<ProfileRow | 'taken' | null> {
  try {
    const result = await roundTrip(() => db.execute<ProfileRow>(sql`
      WITH changed AS (
        UPDATE users SET
          phone_number = ${change.newPhoneNumber},
          number_rewarded_before = users.number_rewarded_before OR EXISTS (SELECT 1 FROM rewarded_numbers WHERE number_hash = ${change.newRewardKey}),
          updated_at = now()
        WHERE id = ${userId}
        RETURNING *
      ), ended AS (
        ${endOtherSessions(sql`(SELECT id FROM changed)`, change.keepSessionId)}
      )
      SELECT ${profileColumns('changed', referralsLimit)} FROM changed`))
    return result.rows[0] ?? null
  }
  catch (error) {
    if (isUniqueViolation(error, 'users_phone_number_key'))
      return 'taken'
    throw error
  }
}
