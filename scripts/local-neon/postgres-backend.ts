import type { Backend, SqlParam, SqlResult } from './backends.ts'
import pg from 'pg'
import { beginStatement } from './backends.ts'

/** Leaves every column as Postgres' text output; the Neon driver does the parsing. */
const rawTypes = {
  getTypeParser: () => (text: string) => text,
} as unknown as pg.CustomTypesConfig

/** A real PostgreSQL server, reached through a connection pool. */
export function openPostgresBackend(connectionString: string): Backend {
  const pool = new pg.Pool({ connectionString, max: 10, types: rawTypes })
  // An idle client losing its connection (e.g. a server restart) must not crash the
  // process; the pool already discards that client.
  pool.on('error', () => {})

  async function run(client: pg.Pool | pg.PoolClient, text: string, values: SqlParam[]): Promise<SqlResult> {
    // Always the extended protocol, like Neon: one statement per query, even without params.
    const config = {
      text,
      values,
      rowMode: 'array' as const,
      queryMode: 'extended',
    }
    const result = await client.query<SqlParam[]>(config)
    return {
      command: result.command ?? null,
      rowCount: result.rowCount,
      rows: result.rows,
      fields: (result.fields ?? []).map(field => ({
        name: field.name,
        tableID: field.tableID,
        columnID: field.columnID,
        dataTypeID: field.dataTypeID,
        dataTypeSize: field.dataTypeSize,
        dataTypeModifier: field.dataTypeModifier,
        format: 'text',
      })),
    }
  }

  return {
    query: (sql, params) => run(pool, sql, params),
    async batch(queries, options) {
      const client = await pool.connect()
      let broken = false
      try {
        await client.query(beginStatement(options))
        try {
          const results: SqlResult[] = []
          for (const { query, params } of queries)
            results.push(await run(client, query, params))
          await client.query('COMMIT')
          return results
        }
        catch (error) {
          await client.query('ROLLBACK').catch(() => {
            broken = true
          })
          throw error
        }
      }
      finally {
        // A client whose ROLLBACK failed may still be inside a transaction: destroy it.
        client.release(broken)
      }
    },
    close: () => pool.end(),
  }
}
