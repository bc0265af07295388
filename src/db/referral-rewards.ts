import type { SQL } from 'drizzle-orm'
import type { ReferralFlag, RewardState } from '../domain/referral-rules'
import type { UserId } from '../domain/user-id'
import type { Database } from './client'
import type { ReferralKey } from './user-row'
import type { WebhookEvent } from './webhook-events'
import { sql } from 'drizzle-orm'
import { roundTrip } from './errors'
import { eventsJson, pointsChangedData, recordEvents } from './webhook-events'

/* eslint-disable ts/consistent-type-definitions -- drizzle's execute<T> needs rows that fit Record<string, unknown> */

/** One of a referral's two rewards as it stands after the statement. */
export type RewardRow = {
  state: RewardState
  points: number
  void_reason: string | null
}

export type ReferralRewardsRow = {
  invitee_id: UserId
  inviter_id: UserId | null
  /** When the code was activated, with Postgres' microseconds (a page of the flagged list is keyed by it). */
  activated_at: string
  /** The farming signals that flagged the activation; empty when none did. */
  flags: ReferralFlag[]
  invitee_reward: RewardRow | null
  inviter_reward: RewardRow | null
}

/* eslint-enable ts/consistent-type-definitions */

/** A reward row (state, award, void_reason) as the API shows it. */
const rewardJson = sql`json_build_object('state', state, 'points', award, 'void_reason', void_reason)`

/** The invitee `u`'s activation as a ReferralRewardsRow's first fields. */
function activationFields(u: string): SQL {
  const invitee = sql.identifier(u)
  return sql`'invitee_id', ${invitee}.id, 'inviter_id', ${invitee}.inviter_id, 'flags', coalesce(${invitee}.referral_flags, '{}'),
    'activated_at', to_char(${invitee}.invited_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`
}

/** What the server API does to a referral's pending rewards: pay them, or void them with a reason. */
export type Settlement = { action: 'qualify' } | { action: 'void', reason: string }

export type SettlementOutcome
  = | { outcome: 'settled' | 'unchanged' | 'replayed', referral: ReferralRewardsRow, events: WebhookEvent[] }
    | { outcome: 'user_not_found' | 'no_referral' | 'key_reused' }

/**
 * Qualifies or voids the invitee's referral in one statement: the pending rewards of both sides change state, and
 * a qualification credits both balances with what each reward is worth, with its referral.qualified or
 * referral.voided event and a points.changed per balance credited. The users are locked first, in id order (as the
 * activation does), then the reward rows, read at their latest version: a settlement that waited behind another
 * finds nothing pending left and changes nothing, so two qualifications pay once. The Idempotency-Key is kept on
 * the invitee's reward row, under the same unique index as a points transaction's, and replays as one does.
 */
export async function settleReferral(db: Database, inviteeId: UserId, settlement: Settlement, idempotencyKey: string, requestHash: string, webhooks: boolean): Promise<SettlementOutcome> {
  const qualify = settlement.action === 'qualify'
  const newState: RewardState = qualify
    ? 'paid'
    : 'voided'
  const reason = settlement.action === 'void'
    ? settlement.reason
    : null
  const result = await roundTrip(() => db.execute<{ outcome: SettlementOutcome['outcome'], referral: ReferralRewardsRow | null, events: WebhookEvent[] }>(sql`
    WITH prior AS (
      SELECT request_hash FROM points_ledger WHERE user_id = ${inviteeId} AND idempotency_key = ${idempotencyKey}
    ), locked AS (
      SELECT id FROM users
      WHERE id = ANY(ARRAY[${inviteeId}::uuid, (SELECT user_id FROM points_ledger WHERE invitee_id = ${inviteeId} AND reason = 'referral_inviter')])
      ORDER BY id FOR UPDATE
    ), current AS (
      -- count(*) reads every locked row before the first reward row is locked: users first, then rewards.
      SELECT id, user_id, reason, state, award, void_reason FROM points_ledger
      WHERE invitee_id = ${inviteeId} AND reason IN ('referral_invitee', 'referral_inviter') AND (SELECT count(*) FROM locked) > 0
      ORDER BY id FOR UPDATE
    ), pending AS (
      SELECT * FROM current WHERE state = 'pending' AND NOT EXISTS (SELECT 1 FROM prior)
    ), credited AS (
      UPDATE users SET points = users.points + pending.award, updated_at = now()
      FROM pending WHERE users.id = pending.user_id AND ${qualify}::boolean
      RETURNING users.id, users.points
    ), settled AS (
      UPDATE points_ledger SET
        state = ${newState},
        amount = CASE WHEN ${qualify}::boolean THEN pending.award ELSE 0 END,
        balance_after = coalesce(credited.points, points_ledger.balance_after),
        void_reason = ${reason},
        settled_at = now(),
        idempotency_key = CASE WHEN points_ledger.user_id = ${inviteeId} THEN ${idempotencyKey} END,
        request_hash = CASE WHEN points_ledger.user_id = ${inviteeId} THEN ${requestHash} END
      FROM pending LEFT JOIN credited ON credited.id = pending.user_id
      WHERE points_ledger.id = pending.id
      RETURNING points_ledger.*
    ), latest AS (
      SELECT reason, user_id, state, award, void_reason FROM settled
      UNION ALL
      SELECT reason, user_id, state, award, void_reason FROM current WHERE id NOT IN (SELECT id FROM settled)
    ), events AS (
      ${recordEvents(webhooks, sql`
        -- The points each side was paid, or (voided) forfeited; 0 for a side that had nothing pending (capped).
        SELECT ${`referral.${qualify
          ? 'qualified'
          : 'voided'}`}::text, jsonb_build_object('invitee_id', ${inviteeId}::uuid,
          'inviter_id', (SELECT user_id FROM latest WHERE reason = 'referral_inviter'),
          'invitee_points', coalesce((SELECT award FROM settled WHERE reason = 'referral_invitee'), 0),
          'inviter_points', coalesce((SELECT award FROM settled WHERE reason = 'referral_inviter'), 0))
          || CASE WHEN ${qualify}::boolean THEN '{}'::jsonb ELSE jsonb_build_object('reason', ${reason}::text) END
        WHERE EXISTS (SELECT 1 FROM settled)
        UNION ALL
        SELECT 'points.changed', ${pointsChangedData('settled')} FROM settled WHERE ${qualify}::boolean`)}
    )
    SELECT
      CASE
        WHEN EXISTS (SELECT 1 FROM settled) THEN 'settled'
        WHEN EXISTS (SELECT 1 FROM prior WHERE request_hash = ${requestHash}) THEN 'replayed'
        WHEN EXISTS (SELECT 1 FROM prior) THEN 'key_reused'
        WHEN NOT EXISTS (SELECT 1 FROM users WHERE id = ${inviteeId}) THEN 'user_not_found'
        WHEN NOT EXISTS (SELECT 1 FROM latest) THEN 'no_referral'
        ELSE 'unchanged'
      END AS outcome,
      (SELECT json_build_object(${activationFields('invitee')},
        'invitee_reward', (SELECT ${rewardJson} FROM latest WHERE reason = 'referral_invitee'),
        'inviter_reward', (SELECT ${rewardJson} FROM latest WHERE reason = 'referral_inviter'))
        FROM users invitee WHERE invitee.id = ${inviteeId}) AS referral,
      ${eventsJson('events')} AS events`))
  const row = result.rows[0]!
  return row.outcome === 'settled' || row.outcome === 'unchanged' || row.outcome === 'replayed'
    ? { outcome: row.outcome, referral: row.referral!, events: row.events }
    : { outcome: row.outcome }
}

/**
 * Voids up to about `limit` pending rewards older than `days` (with their referral's other pending reward, so a
 * referral expires whole), with one referral.voided event (reason "expired") per referral. Rows are locked in id
 * order, as a settlement locks them, and SKIP LOCKED leaves a referral being settled right now to that settlement.
 */
export async function voidExpiredRewards(db: Database, days: number, limit: number, webhooks: boolean): Promise<{ voided: number, events: WebhookEvent[] }> {
  const result = await roundTrip(() => db.execute<{ voided: number, events: WebhookEvent[] }>(sql`
    WITH due AS (
      SELECT id, invitee_id FROM points_ledger
      WHERE state = 'pending' AND created_at < now() - make_interval(days => ${days}::int)
      ORDER BY created_at LIMIT ${limit}
    ), locked AS (
      SELECT id FROM points_ledger
      WHERE state = 'pending' AND (id IN (SELECT id FROM due) OR invitee_id IN (SELECT invitee_id FROM due))
      ORDER BY id FOR UPDATE SKIP LOCKED
    ), expired AS (
      UPDATE points_ledger SET state = 'voided', void_reason = 'expired', settled_at = now()
      FROM locked WHERE points_ledger.id = locked.id
      RETURNING points_ledger.*
    ), events AS (
      ${recordEvents(webhooks, sql`
        SELECT 'referral.voided', jsonb_build_object('invitee_id', invitee_id,
          'inviter_id', max(user_id::text) FILTER (WHERE reason = 'referral_inviter')::uuid,
          'invitee_points', coalesce(sum(award) FILTER (WHERE reason = 'referral_invitee'), 0),
          'inviter_points', coalesce(sum(award) FILTER (WHERE reason = 'referral_inviter'), 0),
          'reason', 'expired')
        FROM expired GROUP BY invitee_id`)}
    )
    SELECT (SELECT count(*)::int FROM expired) AS voided, ${eventsJson('events')} AS events`))
  return result.rows[0] ?? { voided: 0, events: [] }
}

/**
 * Up to `limit` flagged referrals whose rewards still wait for review, newest first, after `after`. Read from the
 * pending rewards (points_ledger_pending_created_at_idx), which the cron keeps to REFERRAL_PENDING_DAYS, rather than
 * from every flag ever raised; a reward's created_at is its activation's invited_at (one statement, one now()).
 */
export async function selectFlaggedReferrals(db: Database, limit: number, after?: ReferralKey): Promise<ReferralRewardsRow[]> {
  const keyset = after
    ? sql`AND held.created_at <= ${after.invitedAt}::timestamptz
      AND (held.created_at < ${after.invitedAt}::timestamptz OR invitee.id > ${after.id}::uuid)`
    : sql``
  const result = await roundTrip(() => db.execute<{ referrals: ReferralRewardsRow[] }>(sql`
    SELECT coalesce(json_agg(json_build_object(${activationFields('invitee')},
      'invitee_reward', (SELECT ${rewardJson} FROM points_ledger WHERE invitee_id = invitee.id AND reason = 'referral_invitee'),
      'inviter_reward', (SELECT ${rewardJson} FROM points_ledger WHERE invitee_id = invitee.id AND reason = 'referral_inviter'))
      ORDER BY invitee.created_at_key DESC, invitee.id), '[]'::json) AS referrals
    FROM (
      SELECT invitee.*, held.created_at AS created_at_key FROM points_ledger held JOIN users invitee ON invitee.id = held.invitee_id
      WHERE held.state = 'pending' AND held.reason = 'referral_invitee' AND invitee.referral_flags IS NOT NULL ${keyset}
      ORDER BY held.created_at DESC, invitee.id LIMIT ${limit}
    ) invitee`))
  return result.rows[0]?.referrals ?? []
}
