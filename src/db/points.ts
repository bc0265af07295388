import type { SQL } from 'drizzle-orm'
import type { RewardState } from '../domain/referral-rules'
import type { UserId } from '../domain/user-id'
import type { Database } from './client'
import type { WebhookEvent } from './webhook-events'
import { sql } from 'drizzle-orm'
import { isUniqueViolation, roundTrip } from './errors'
import { eventsJson, pointsChangedData, recordEvents } from './webhook-events'

/* eslint-disable ts/consistent-type-definitions -- drizzle's execute<T> needs rows that fit Record<string, unknown> */

/** A points_ledger row as the server API shows it; `id` is the transaction id. */
export type LedgerRow = {
  id: string
  amount: number
  reason: 'referral_invitee' | 'referral_inviter' | 'redemption' | 'adjustment'
  reference: string | null
  invitee_id: UserId | null
  balance_after: number | null
  state: RewardState
  award: number | null
  created_at: string
}

/* eslint-enable ts/consistent-type-definitions */

function ledgerJson(alias: string): SQL {
  const row = sql.identifier(alias)
  return sql`json_build_object('id', ${row}.id::text, 'amount', ${row}.amount, 'reason', ${row}.reason,
    'reference', ${row}.reference, 'invitee_id', ${row}.invitee_id, 'balance_after', ${row}.balance_after,
    'state', ${row}.state, 'award', ${row}.award, 'created_at', ${row}.created_at)`
}

/**
 * Up to `limit` of the user's ledger rows, newest first, after the row `afterId` (from the newest without it), in
 * one round trip on points_ledger_user_id_id_idx; null when the user does not exist.
 */
export async function selectLedger(db: Database, userId: UserId, limit: number, afterId?: string): Promise<LedgerRow[] | null> {
  const keyset = afterId
    ? sql`AND entry.id < ${afterId}::bigint`
    : sql``
  const result = await roundTrip(() => db.execute<{ entries: LedgerRow[] }>(sql`
    SELECT (SELECT coalesce(json_agg(${ledgerJson('page')} ORDER BY page.id DESC), '[]'::json) FROM (
      SELECT * FROM points_ledger entry WHERE entry.user_id = u.id ${keyset} ORDER BY entry.id DESC LIMIT ${limit}
    ) page) AS entries
    FROM users u WHERE u.id = ${userId}`))
  return result.rows[0]?.entries ?? null
}

export interface PointsTransaction {
  amount: number
  reason: 'redemption' | 'adjustment'
  reference: string | null
  idempotencyKey: string
  /** Identifies the request's body: the same key with another body is refused. */
  requestHash: string
}

export type TransactionOutcome
  = | { outcome: 'applied' | 'replayed', entry: LedgerRow, events: WebhookEvent[] }
    | { outcome: 'user_not_found' | 'insufficient_points' | 'key_reused' }

/**
 * Credits or debits the user in one statement: the balance, its ledger row and (with `webhooks`) the points.changed
 * event land together or not at all. A debit that would take the balance below zero changes nothing: the balance is
 * tested by the UPDATE itself, which concurrent transactions of the user pass one at a time on the row lock,
 * each seeing the balance the one before left. A key already used replays its row; two requests with one new key
 * at once both pass the lookup, and the second's ledger insert then breaks the unique index, rolling its whole
 * statement back: it runs again and replays the first.
 */
export async function applyTransaction(db: Database, userId: UserId, transaction: PointsTransaction, webhooks: boolean): Promise<TransactionOutcome> {
  try {
    return await applyTransactionOnce(db, userId, transaction, webhooks)
  }
  catch (error) {
    if (!isUniqueViolation(error, 'points_ledger_idempotency_key'))
      throw error
    return applyTransactionOnce(db, userId, transaction, webhooks)
  }
}

async function applyTransactionOnce(db: Database, userId: UserId, tx: PointsTransaction, webhooks: boolean): Promise<TransactionOutcome> {
  const result = await roundTrip(() => db.execute<{ outcome: TransactionOutcome['outcome'], entry: LedgerRow | null, events: WebhookEvent[] }>(sql`
    WITH prior AS (
      SELECT * FROM points_ledger WHERE user_id = ${userId} AND idempotency_key = ${tx.idempotencyKey}
    ), changed AS (
      UPDATE users SET points = points + ${tx.amount}::int, updated_at = now()
      WHERE id = ${userId} AND points + ${tx.amount}::int >= 0 AND NOT EXISTS (SELECT 1 FROM prior)
      RETURNING id, points
    ), entry AS (
      INSERT INTO points_ledger (user_id, amount, reason, reference, balance_after, idempotency_key, request_hash)
      SELECT id, ${tx.amount}::int, ${tx.reason}, ${tx.reference}, points, ${tx.idempotencyKey}, ${tx.requestHash} FROM changed
      RETURNING *
    ), events AS (
      ${recordEvents(webhooks, sql`SELECT 'points.changed', ${pointsChangedData('entry')} FROM entry`)}
    )
    SELECT
      CASE
        WHEN EXISTS (SELECT 1 FROM entry) THEN 'applied'
        WHEN EXISTS (SELECT 1 FROM prior WHERE request_hash = ${tx.requestHash}) THEN 'replayed'
        WHEN EXISTS (SELECT 1 FROM prior) THEN 'key_reused'
        WHEN NOT EXISTS (SELECT 1 FROM users WHERE id = ${userId}) THEN 'user_not_found'
        ELSE 'insufficient_points'
      END AS outcome,
      coalesce((SELECT ${ledgerJson('entry')} FROM entry), (SELECT ${ledgerJson('prior')} FROM prior WHERE request_hash = ${tx.requestHash})) AS entry,
      ${eventsJson('events')} AS events`))
  const row = result.rows[0]!
  return row.outcome === 'applied' || row.outcome === 'replayed'
    ? { outcome: row.outcome, entry: row.entry!, events: row.events }
    : { outcome: row.outcome }
}
