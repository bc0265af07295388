import { DatabaseUnavailable } from '../lib/errors'
import { currentRequestContext } from '../lib/request-context'

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
 * Runs one database round trip. A network failure or an endpoint outage becomes DatabaseUnavailable (503, retry);
 * a Postgres error is a bug or a constraint the caller handles, so it passes through unchanged.
 */
export async function roundTrip<T>(query: () => Promise<T>): Promise<T> {
  const request = currentRequestContext()
  if (request)
    request.dbRoundTrips++
  try {
    return await query()
  }
  catch (error) {
    if (postgresError(error))
      throw error
    throw new DatabaseUnavailable('The database did not answer; please retry shortly.', { cause: error })
  }
}
