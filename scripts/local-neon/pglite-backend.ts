import type { messages } from '@electric-sql/pglite'
import type { Backend, SqlField, SqlParam, SqlResult } from './backends.ts'
import { Buffer } from 'node:buffer'
import { mkdir } from 'node:fs/promises'
import { protocol } from '@electric-sql/pglite'
import { beginStatement, parseCommandTag } from './backends.ts'
import { openPGlite } from './pglite-snapshot.ts'

const { serialize } = protocol

const MAX_PREPARED_STATEMENTS = 1000
const CHANGES_SCHEMA = new Set(['CREATE', 'ALTER', 'DROP'])

/**
 * Embedded Postgres (WASM): in memory, or persisted in `dataDir`.
 *
 * Queries go through PGlite's wire-protocol API rather than `db.query()`: that way
 * parameters are bound as the text the driver sent and rows come back as Postgres' raw
 * text with full field metadata, with no PGlite (de)serialisers in between.
 */
export async function openPGliteBackend(dataDir?: string): Promise<Backend> {
  if (dataDir)
    await mkdir(dataDir, { recursive: true })
  const db = await openPGlite(dataDir)

  async function send(message: Uint8Array): Promise<messages.BackendMessage[]> {
    // Throws Postgres' DatabaseError when the backend answers with an ErrorResponse.
    return (await db.execProtocol(message)).messages
  }

  // Each SQL text is parsed once into a named statement, as a pooled driver's statement cache does: in WASM, parsing
  // and planning take several times longer than running the app's statements, and Postgres plans a named statement
  // once it finds a generic plan as good. A name is kept only once its Parse succeeded, and never given twice.
  const prepared = new Map<string, string>()
  let statementsNamed = 0

  async function run(sql: string, params: SqlParam[]): Promise<SqlResult> {
    const cached = prepared.get(sql)
    const name = cached ?? (prepared.size < MAX_PREPARED_STATEMENTS
      ? `s${++statementsNamed}`
      : '')
    const exchange = [
      serialize.bind({ statement: name, values: params }),
      serialize.describe({ type: 'P' }),
      serialize.execute({}),
      serialize.sync(),
    ]
    if (cached === undefined)
      exchange.unshift(serialize.parse({ name, text: sql }))
    // One call into the WASM backend, as a client writes the whole exchange to its socket: after an error Postgres
    // skips to the Sync, so the session is ready for the next statement either way.
    const replies = (await db.execProtocol(Buffer.concat(exchange), { throwOnError: false })).messages
    if (cached === undefined && name && replies.some(reply => reply.name === 'parseComplete'))
      prepared.set(sql, name)
    const error = replies.find((reply): reply is messages.DatabaseError => reply.name === 'error')
    if (error)
      throw error
    const result = toResult(replies)
    if (result.command !== null && CHANGES_SCHEMA.has(result.command))
      await forgetPrepared()
    return result
  }

  // After a schema change a kept statement whose result's shape changed would fail ("cached plan must not change
  // result type"), where Neon, parsing every statement afresh, answers.
  async function forgetPrepared() {
    prepared.clear()
    await send(serialize.query('DEALLOCATE ALL'))
  }

  // PGlite is a single session and execProtocol() takes no lock, so every request runs
  // under runExclusive(): a batch's BEGIN..COMMIT can never interleave with another request.
  return {
    query: (sql, params) => db.runExclusive(() => run(sql, params)),
    batch: (queries, options) => db.runExclusive(async () => {
      await send(serialize.query(beginStatement(options)))
      try {
        const results: SqlResult[] = []
        for (const { query, params } of queries)
          results.push(await run(query, params))
        await send(serialize.query('COMMIT'))
        return results
      }
      catch (error) {
        await send(serialize.query('ROLLBACK'))
        throw error
      }
    }),
    close: () => db.close(),
  }
}

function toResult(replies: messages.BackendMessage[]): SqlResult {
  let fields: SqlField[] = []
  const rows: SqlParam[][] = []
  let tag: string | null = null
  for (const reply of replies) {
    if (reply.name === 'rowDescription') {
      fields = (reply as messages.RowDescriptionMessage).fields.map(field => ({
        name: field.name,
        tableID: field.tableID,
        columnID: field.columnID,
        dataTypeID: field.dataTypeID,
        dataTypeSize: field.dataTypeSize,
        dataTypeModifier: field.dataTypeModifier,
        format: 'text', // Bind asks for text results (the default).
      }))
    }
    else if (reply.name === 'dataRow') {
      rows.push((reply as messages.DataRowMessage).fields)
    }
    else if (reply.name === 'commandComplete') {
      tag = (reply as messages.CommandCompleteMessage).text
    }
  }
  return {
    ...parseCommandTag(tag),
    rows,
    fields,
  }
}
