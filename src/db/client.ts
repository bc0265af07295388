import type { NeonHttpDatabase } from 'drizzle-orm/neon-http'
import type { Config } from '../config'
import { neon, neonConfig } from '@neondatabase/serverless'
import { drizzle } from 'drizzle-orm/neon-http'
import * as schema from './schema'

export type Database = NeonHttpDatabase<typeof schema>

/** Every query is one HTTPS round trip to Neon; locally the same driver talks to scripts/local-neon instead. */
export function createDatabase(config: Config): Database {
  if (config.LOCAL_SQL_ENDPOINT)
    neonConfig.fetchEndpoint = config.LOCAL_SQL_ENDPOINT
  return drizzle({
    client: neon(config.DATABASE_URL),
    schema,
  })
}
