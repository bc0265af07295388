import type { SQL } from 'drizzle-orm'
import type { Config } from '../config'
import { CasingCache } from 'drizzle-orm/casing'

/**
 * Every use case is one hand-written statement (drizzle's `sql` tag), sent as one HTTPS round trip over Neon's "SQL
 * over HTTP" protocol. That needs no driver: @neondatabase/serverless and drizzle's session layer were 40% of the
 * bundle and a third of its start-up, for a POST and a JSON parse. src/db/schema.ts is drizzle-kit's source for
 * migrations only. Locally the same protocol is served by scripts/local-neon.
 */
export interface Database {
  execute: <T extends Record<string, unknown> = Record<string, unknown>>(query: SQL) => Promise<QueryResult<T>>
}

export interface QueryResult<T> {
  rows: T[]
  rowCount: number | null
}

/** An error Postgres reported: its SQLSTATE in `code` and the server's other fields, as the Neon driver gives them. */
export class NeonDbError extends Error {
  override name = 'NeonDbError'
  code?: string
  constraint?: string
}

interface NeonResult {
  fields: { name: string, dataTypeID: number }[]
  rows: (string | null)[][]
  rowCount: number | null
}

/** What drizzle's Postgres dialect passes to SQL.toQuery, for plain `sql` templates (no tables, no typed columns). */
const QUERY_BUILDER = {
  casing: new CasingCache(),
  escapeName: (name: string) => `"${name.replace(/"/g, '""')}"`,
  escapeParam: (index: number) => `$${index + 1}`,
  escapeString: (text: string) => `'${text.replace(/'/g, '\'\'')}'`,
}

export function createDatabase(config: Config): Database {
  const endpoint = config.LOCAL_SQL_ENDPOINT || neonEndpoint(config.DATABASE_URL)
  const headers = {
    'Neon-Connection-String': config.DATABASE_URL,
    'Neon-Raw-Text-Output': 'true',
    'Neon-Array-Mode': 'true',
  }
  return {
    async execute<T>(query: SQL) {
      const { sql, params } = query.toQuery(QUERY_BUILDER)
      let response: Response
      try {
        response = await fetch(endpoint, {
          method: 'POST',
          headers,
          body: JSON.stringify({
            query: sql,
            params: params.map(encodeParam),
          }),
          // A query not answered in time is abandoned, and roundTrip() answers 503 rather than holding the client. The
          // statement may still commit on the server; each change is one statement, so it then commits whole.
          signal: AbortSignal.timeout(config.DB_TIMEOUT_MS),
        })
      }
      catch (error) {
        throw new NeonDbError('Error connecting to database', { cause: error })
      }
      if (response.status === 400)
        throw Object.assign(new NeonDbError(), await response.json())
      if (!response.ok)
        throw new NeonDbError(`Server error (HTTP status ${response.status})`)
      return decodeResult<T>(await response.json())
    },
  }
}

/** Neon serves SQL over HTTP at api.<region host>/sql: the endpoint's own label is swapped for "api". */
function neonEndpoint(databaseUrl: string): string {
  return `https://${new URL(databaseUrl).hostname.replace(/^[^.]+\./, 'api.')}/sql`
}

/** Parameters travel as text, as Postgres' text protocol binds them. */
function encodeParam(value: unknown): string | null {
  if (value === null || value === undefined)
    return null
  if (value instanceof Date)
    return value.toISOString()
  return typeof value === 'object'
    ? JSON.stringify(value)
    : String(value)
}

const INTEGER_TYPES = new Set([21, 23, 26])
const FLOAT_TYPES = new Set([700, 701])
const JSON_TYPES = new Set([114, 3802])
const BOOL_TYPE = 16
/** Array types by their element type, as the driver parsed them under drizzle (which leaves numeric and date-time arrays as text). */
const ARRAY_TYPES = new Map([
  [1005, 21],
  [1007, 23],
  [1028, 26],
  [1021, 700],
  [1022, 701],
  [199, 114],
  [3807, 3802],
  [1000, BOOL_TYPE],
  ...[1009, 1015, 1014, 2951, 1016].map(type => [type, 25] as const),
])

/**
 * Rows as objects, values parsed as the Neon driver did under drizzle: integers, floats, booleans and JSON become
 * JavaScript values, and arrays of them arrays; everything else (bigint, numeric, uuid, timestamps) stays Postgres' text.
 */
function decodeResult<T>(result: NeonResult): QueryResult<T> {
  const parsers = result.fields.map(field => parserFor(field.dataTypeID))
  const rows = result.rows.map((values) => {
    const row: Record<string, unknown> = {}
    result.fields.forEach((field, i) => {
      const value = values[i]!
      row[field.name] = value === null
        ? null
        : parsers[i]!(value)
    })
    return row as T
  })
  return { rows, rowCount: result.rowCount }
}

function parserFor(type: number): (text: string) => unknown {
  const element = ARRAY_TYPES.get(type)
  if (element !== undefined) {
    const parseElement = parserFor(element)
    return text => parseArray(text, parseElement)
  }
  if (INTEGER_TYPES.has(type))
    return text => Number.parseInt(text, 10)
  if (FLOAT_TYPES.has(type))
    return Number.parseFloat
  if (JSON_TYPES.has(type))
    return text => JSON.parse(text) as unknown
  if (type === BOOL_TYPE)
    return text => text === 't'
  return text => text
}

/**
 * Postgres' array output ("{1,2}", '{"a b",NULL}', "{{1,2},{3,4}}") as nested JavaScript arrays. Elements with
 * special characters come double-quoted with backslash escapes; an unquoted NULL is null.
 */
function parseArray(text: string, parseElement: (text: string) => unknown): unknown[] {
  let i = 0
  function parseList(): unknown[] {
    const items: unknown[] = []
    i++ // the opening brace
    while (text[i] !== '}') {
      if (text[i] === '{') {
        items.push(parseList())
      }
      else if (text[i] === '"') {
        let value = ''
        for (i++; text[i] !== '"'; i++) {
          value += text[i] === '\\'
            ? text[++i]
            : text[i]
        }
        i++
        items.push(parseElement(value))
      }
      else {
        const end = text.slice(i).search(/[,}]/) + i
        const value = text.slice(i, end)
        i = end
        items.push(value === 'NULL'
          ? null
          : parseElement(value))
      }
      if (text[i] === ',')
        i++
    }
    i++
    return items
  }
  // A lower bound other than 1 is written first ("[0:1]={…}"); the values are what the statements read.
  i = text.indexOf('{')
  return parseList()
}
