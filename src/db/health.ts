import type { Database } from './client'
import { sql } from 'drizzle-orm'
import { roundTrip } from './errors'

/** The cheapest query that proves the database answers. */
export async function pingDatabase(db: Database): Promise<void> {
  await roundTrip(() => db.execute(sql`SELECT 1`))
}
