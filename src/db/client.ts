import type { NeonHttpDatabase } from 'drizzle-orm/neon-http'
import type { Config } from '../config'
import { neon, neonConfig } from '@neondatabase/serverless'
import { drizzle } from 'drizzle-orm/neon-http'

// Every use case is one hand-written statement (`sql`), so the Worker carries no table schema: src/db/schema.ts is
// drizzle-kit's source for migrations only, which keeps its column builders out of the bundle.
export type Database = NeonHttpDatabase

/** Every query is one HTTPS round trip to Neon; locally the same driver talks to scripts/local-neon instead. */
export function createDatabase(config: Config): Database {
  // The driver reads its endpoint and fetch from global settings; an isolate serves one deployment, so one database.
  if (config.LOCAL_SQL_ENDPOINT)
    neonConfig.fetchEndpoint = config.LOCAL_SQL_ENDPOINT
  neonConfig.fetchFunction = fetchWithTimeout(config.DB_TIMEOUT_MS)
  return drizzle({
    client: neon(config.DATABASE_URL),
  })
}

/**
 * A query not answered within `timeoutMs` is abandoned, and roundTrip() answers 503 rather than holding the client.
 * The statement may still commit on the server; each change is one statement, so it then commits whole.
 */
function fetchWithTimeout(timeoutMs: number): typeof fetch {
  return (input, init) => fetch(input, {
    ...init,
    signal: AbortSignal.timeout(timeoutMs),
  })
}
