import { DatabaseUnavailable } from '../lib/errors'
import { currentRequestContext, remoteOperation } from '../lib/request-context'

interface PostgresError {
  code: string
  constraint?: string
}

/** Errors Postgres itself raised carry a SQLSTATE; anything else means we never got an answer. */
function postgresError(error: unknown): PostgresError | undefined {
  for (let current = error; current instanceof Error; current = current.cause) {
    if ('code' in current && typeof current.code === 'string' && /^[0-9A-Z]{5}$/.test(current.code))
      return current as Error & PostgresError
  }
  return undefined
}

export function isUniqueViolation(error: unknown, constraint: string): boolean {
  const pgError = postgresError(error)
  return pgError?.code === '23505' && pgError.constraint === constraint
}

/**
 * SQLSTATEs that say the database cannot serve us right now, not that the statement is wrong: connection
 * exceptions (08), insufficient resources (53, e.g. too many connections), operator intervention (57, e.g. 57P03
 * while it starts up, 57P01 while it shuts down), and a serialization failure or deadlock (40001, 40P01), which the
 * same statement survives when run again.
 */
const TRANSIENT_SQLSTATE = /^(?:08|53|57)|^40(?:001|P01)$/

/**
 * Runs one database round trip. A network failure, an endpoint outage or a transient Postgres error becomes
 * DatabaseUnavailable (503, retry); any other Postgres error is a bug or a constraint the caller handles, so it
 * passes through unchanged.
 */
export async function roundTrip<T>(query: () => Promise<T>): Promise<T> {
  const request = currentRequestContext()
  if (request)
    request.dbRoundTrips++
  try {
    return await remoteOperation('database', query())
  }
  catch (error) {
    const pgError = postgresError(error)
    if (pgError && !TRANSIENT_SQLSTATE.test(pgError.code))
      throw error
    throw new DatabaseUnavailable('The database is unavailable right now; please retry shortly.', { cause: error })
  }
}
