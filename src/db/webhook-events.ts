import type { SQL } from 'drizzle-orm'
import type { Database } from './client'
import { sql } from 'drizzle-orm'
import { roundTrip } from './errors'

export type WebhookEventType = 'user.created' | 'user.deleted' | 'referral.activated' | 'points.changed'

/** An outbox row as queued and delivered; `id` is the webhook-id receivers de-duplicate by. */
export interface WebhookEvent {
  id: string
  type: WebhookEventType
  created_at: string
  data: Record<string, unknown>
}

/**
 * A CTE body that records, in the outbox, one event per row of `source` (columns `type`, `data`), and only when
 * `enabled` (webhooks configured): the event commits or rolls back with the change of the statement it rides in.
 */
export function recordEvents(enabled: boolean, source: SQL): SQL {
  return sql`INSERT INTO webhook_events (type, data)
    SELECT source.type, source.data FROM (${source}) AS source (type, data) WHERE ${enabled}::boolean
    RETURNING id, type, data, created_at`
}

/** The events a `recordEvents` CTE named `cte` wrote, as a JSON array column for the statement's result. */
export function eventsJson(cte: string): SQL {
  const events = sql.identifier(cte)
  return sql`(SELECT coalesce(json_agg(json_build_object(
    'id', ${events}.id, 'type', ${events}.type, 'data', ${events}.data, 'created_at', ${events}.created_at)), '[]'::json)
    FROM ${events})`
}

/** A points.changed event's data for a points_ledger row (aliased `alias`): the row, and the balance it left. */
export function pointsChangedData(alias: string): SQL {
  const row = sql.identifier(alias)
  return sql`jsonb_build_object('user_id', ${row}.user_id, 'transaction_id', ${row}.id::text, 'amount', ${row}.amount,
    'reason', ${row}.reason, 'reference', ${row}.reference, 'invitee_id', ${row}.invitee_id, 'balance', ${row}.balance_after)`
}

/** Event ids as one uuid[] parameter (drizzle would spread a JS array into a list). */
function uuidArray(ids: string[]): SQL {
  return sql`string_to_array(${ids.join(',')}, ',')::uuid[]`
}

export async function markDelivered(db: Database, ids: string[]): Promise<void> {
  await roundTrip(() => db.execute(sql`
    UPDATE webhook_events SET delivered_at = now() WHERE id = ANY(${uuidArray(ids)}) AND delivered_at IS NULL`))
}

/** Every retry failed: the event stays recorded for an operator, and the sweep leaves it alone. */
export async function markDeadLettered(db: Database, ids: string[]): Promise<void> {
  await roundTrip(() => db.execute(sql`
    UPDATE webhook_events SET dead_lettered_at = now() WHERE id = ANY(${uuidArray(ids)}) AND delivered_at IS NULL`))
}

/**
 * Up to `limit` events neither delivered nor dead-lettered, sent (or last swept) more than `afterSeconds` ago, marked
 * as enqueued now, so the next sweep waits as long again before sending them once more. SKIP LOCKED: two sweeps at
 * once take different rows.
 */
export async function claimUndelivered(db: Database, afterSeconds: number, limit: number): Promise<WebhookEvent[]> {
  const result = await roundTrip(() => db.execute<{ events: WebhookEvent[] }>(sql`
    WITH due AS (
      SELECT id FROM webhook_events
      WHERE delivered_at IS NULL AND dead_lettered_at IS NULL
        AND coalesce(enqueued_at, created_at) < now() - ${afterSeconds}::int * interval '1 second'
      ORDER BY created_at LIMIT ${limit} FOR UPDATE SKIP LOCKED
    ), claimed AS (
      UPDATE webhook_events SET enqueued_at = now() FROM due WHERE webhook_events.id = due.id
      RETURNING webhook_events.id, webhook_events.type, webhook_events.data, webhook_events.created_at
    )
    SELECT ${eventsJson('claimed')} AS events`))
  return result.rows[0]?.events ?? []
}

/** Deletes up to `limit` events delivered more than `days` ago; returns how many went. */
export async function deleteDeliveredEvents(db: Database, days: number, limit: number): Promise<number> {
  const result = await roundTrip(() => db.execute<{ deleted: number }>(sql`
    WITH gone AS (
      DELETE FROM webhook_events WHERE id IN (
        SELECT id FROM webhook_events WHERE delivered_at < now() - make_interval(days => ${days}::int) LIMIT ${limit})
      RETURNING 1
    )
    SELECT count(*)::int AS deleted FROM gone`))
  return result.rows[0]?.deleted ?? 0
}
