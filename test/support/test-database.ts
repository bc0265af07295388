// The database the suite runs against: embedded PGlite by default, or a fresh, uniquely named database on the
// PostgreSQL server in TEST_DATABASE_URL (dropped afterwards), so a run never touches anyone's data.
import { randomBytes } from 'node:crypto'
import process from 'node:process'
import pg from 'pg'

export interface TestDatabase {
  /** Undefined means embedded PGlite. */
  url: string | undefined
  drop: () => Promise<void>
}

export async function createTestDatabase(serverUrl: string | undefined): Promise<TestDatabase> {
  if (!serverUrl) {
    return {
      url: undefined,
      drop: async () => {},
    }
  }
  // Unique even when several are created at once in one process.
  const name = `phone_auth_test_${Date.now()}_${process.pid}_${randomBytes(4).toString('hex')}`
  const admin = new pg.Client({ connectionString: serverUrl })
  await admin.connect()
  await admin.query(`CREATE DATABASE ${name}`)
  await admin.end()
  const url = new URL(serverUrl)
  url.pathname = `/${name}`
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: serverUrl })
      await client.connect()
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
      await client.end()
    },
  }
}
