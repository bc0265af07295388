// The database engine behind the local Neon endpoint. Both implementations return
// Postgres' own text output untouched: the Neon driver parses values itself, by type OID,
// exactly as it does against the real Neon proxy.

/** A parameter already serialised to Postgres text form by the driver (bytea as `\x..` hex). */
export type SqlParam = string | null

export interface SqlQuery {
  query: string
  params: SqlParam[]
}

export interface SqlField {
  name: string
  tableID: number
  columnID: number
  dataTypeID: number
  dataTypeSize: number
  dataTypeModifier: number
  format: 'text'
}

export interface SqlResult {
  command: string | null
  rowCount: number | null
  rows: SqlParam[][]
  fields: SqlField[]
}

export type IsolationLevel = 'ReadUncommitted' | 'ReadCommitted' | 'RepeatableRead' | 'Serializable'

export interface BatchOptions {
  isolationLevel?: IsolationLevel
  readOnly?: boolean
  deferrable?: boolean
}

export interface Backend {
  query: (sql: string, params: SqlParam[]) => Promise<SqlResult>
  /** Runs every query in one transaction; rolls everything back if any of them fails. */
  batch: (queries: SqlQuery[], options: BatchOptions) => Promise<SqlResult[]>
  close: () => Promise<void>
}

const ISOLATION_LEVELS: Record<IsolationLevel, string> = {
  ReadUncommitted: 'READ UNCOMMITTED',
  ReadCommitted: 'READ COMMITTED',
  RepeatableRead: 'REPEATABLE READ',
  Serializable: 'SERIALIZABLE',
}

export function isIsolationLevel(value: string): value is IsolationLevel {
  return Object.hasOwn(ISOLATION_LEVELS, value)
}

export function beginStatement({ isolationLevel, readOnly, deferrable }: BatchOptions): string {
  let statement = 'BEGIN'
  if (isolationLevel)
    statement += ` ISOLATION LEVEL ${ISOLATION_LEVELS[isolationLevel]}`
  if (readOnly !== undefined)
    statement += readOnly ? ' READ ONLY' : ' READ WRITE'
  if (deferrable !== undefined)
    statement += deferrable ? ' DEFERRABLE' : ' NOT DEFERRABLE'
  return statement
}

/** Splits a command tag like `INSERT 0 3` or `CREATE TABLE` the way node-postgres does. */
export function parseCommandTag(tag: string | null): Pick<SqlResult, 'command' | 'rowCount'> {
  const match = /^([A-Z]+)(?: (\d+))?(?: (\d+))?/i.exec(tag ?? '')
  if (!match)
    return { command: null, rowCount: null }
  const count = match[3] ?? match[2]
  return {
    command: match[1] ?? null,
    rowCount: count === undefined
      ? null
      : Number(count),
  }
}
