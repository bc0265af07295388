// Neon's "SQL over HTTP" wire format, as spoken by @neondatabase/serverless:
// request bodies, batch headers, and the JSON shapes of results and errors.

import type { IncomingHttpHeaders } from 'node:http'
import type { BatchOptions, SqlParam, SqlQuery, SqlResult } from './backends.ts'
import { isIsolationLevel } from './backends.ts'

export type SqlRequest
  = | { kind: 'single', query: SqlQuery }
    | { kind: 'batch', queries: SqlQuery[], options: BatchOptions }

/** A request the endpoint refuses before it reaches the database. */
export class RequestError extends Error {
  readonly status: number

  constructor(message: string, status = 400) {
    super(message)
    this.status = status
  }
}

/** Parses `{query, params}` or `{queries: [...]}` plus the `Neon-Batch-*` headers. */
export function parseSqlRequest(body: string, headers: IncomingHttpHeaders): SqlRequest {
  let json: unknown
  try {
    json = JSON.parse(body)
  }
  catch {
    throw new RequestError('Request body is not valid JSON')
  }
  if (!isObject(json))
    throw new RequestError('Request body must be a JSON object')
  if ('queries' in json) {
    if (!Array.isArray(json.queries))
      throw new RequestError('"queries" must be an array')
    return {
      kind: 'batch',
      queries: json.queries.map(parseQuery),
      options: parseBatchOptions(headers),
    }
  }
  return {
    kind: 'single',
    query: parseQuery(json),
  }
}

function parseQuery(value: unknown): SqlQuery {
  if (!isObject(value) || typeof value.query !== 'string')
    throw new RequestError('Each query needs a "query" string')
  const params = value.params ?? []
  if (!Array.isArray(params))
    throw new RequestError('"params" must be an array')
  return {
    query: value.query,
    params: params.map(parseParam),
  }
}

function parseParam(value: unknown): SqlParam {
  // The driver sends strings or null; plain JSON scalars are accepted as their text form.
  if (value === null || typeof value === 'string')
    return value
  if (typeof value === 'number' || typeof value === 'boolean')
    return String(value)
  throw new RequestError('Query parameters must be strings, numbers, booleans or null')
}

function parseBatchOptions(headers: IncomingHttpHeaders): BatchOptions {
  const options: BatchOptions = {}
  const isolationLevel = header(headers, 'neon-batch-isolation-level')
  if (isolationLevel !== undefined) {
    if (!isIsolationLevel(isolationLevel))
      throw new RequestError(`Unknown Neon-Batch-Isolation-Level: ${isolationLevel}`)
    options.isolationLevel = isolationLevel
  }
  const readOnly = booleanHeader(headers, 'neon-batch-read-only')
  if (readOnly !== undefined)
    options.readOnly = readOnly
  const deferrable = booleanHeader(headers, 'neon-batch-deferrable')
  if (deferrable !== undefined)
    options.deferrable = deferrable
  return options
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name]
  return Array.isArray(value)
    ? value[0]
    : value
}

function booleanHeader(headers: IncomingHttpHeaders, name: string): boolean | undefined {
  const value = header(headers, name)
  if (value === undefined)
    return undefined
  if (value !== 'true' && value !== 'false')
    throw new RequestError(`${name} must be "true" or "false"`)
  return value === 'true'
}

/** The JSON Neon returns for one statement; rows are arrays because of `Neon-Array-Mode`. */
export function resultBody(result: SqlResult) {
  return { ...result, rowAsArray: true }
}

/** Fields the driver copies from an HTTP 400 body onto its NeonDbError. */
const ERROR_FIELDS = [
  'severity',
  'code',
  'detail',
  'hint',
  'position',
  'internalPosition',
  'internalQuery',
  'where',
  'schema',
  'table',
  'column',
  'dataType',
  'constraint',
  'file',
  'line',
  'routine',
] as const

/**
 * Shapes an error reported by Postgres itself (pg's and PGlite's DatabaseError alike) as
 * Neon's 400 body; returns undefined for anything else (network failures, bugs).
 * Only the server's own fields are copied: never the query parameters.
 */
export function databaseErrorBody(error: unknown): Record<string, unknown> | undefined {
  if (!(error instanceof Error) || !isObject(error) || typeof error.severity !== 'string' || typeof error.code !== 'string')
    return undefined
  const body: Record<string, unknown> = { message: error.message }
  for (const field of ERROR_FIELDS) {
    if (error[field] !== undefined)
      body[field] = error[field]
  }
  return body
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
