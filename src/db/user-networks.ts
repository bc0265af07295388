import type { Database } from './client'
import { sql } from 'drizzle-orm'
import { roundTrip } from './errors'

/** Deletes up to `limit` network signals unseen for `days`; returns how many went. */
export async function deleteStaleNetworks(db: Database, days: number, limit: number): Promise<number> {
  const result = await roundTrip(() => db.execute<{ deleted: number }>(sql`
    WITH gone AS (
      DELETE FROM user_networks WHERE ctid IN (
        SELECT ctid FROM user_networks WHERE seen_at < now() - make_interval(days => ${days}::int) LIMIT ${limit})
      RETURNING 1
    )
    SELECT count(*)::int AS deleted FROM gone`))
  return result.rows[0]?.deleted ?? 0
}
