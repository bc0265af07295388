declare const userIdBrand: unique symbol

/**
 * A user's id as the database issued it (a UUID), made only by `parseUserId` or read from a users row. Whatever a
 * row, a limit or a log line is keyed by for one user takes this type, so an unchecked string (a token's `sub`, a
 * path segment) cannot stand in for one.
 */
export type UserId = string & { readonly [userIdBrand]: true }

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

export function parseUserId(value: unknown): UserId | null {
  return typeof value === 'string' && UUID.test(value)
    ? value.toLowerCase() as UserId
    : null
}
