import type { ServerUserRow, UserKey } from '../db/server-users'
import type { Services } from './container'
import { selectServerUser } from '../db/server-users'
import { UnknownUser } from '../lib/errors'

function presentUser(row: ServerUserRow) {
  return {
    ...row,
    created_at: new Date(row.created_at).toISOString(),
  }
}

export function unknownUser(key: UserKey): UnknownUser {
  return new UnknownUser('id' in key
    ? 'No user has this id.'
    : 'No user has this phone number.')
}

/** A user as the server API shows them, by id or phone number; 404 when there is none. */
export async function findUser(services: Services, key: UserKey) {
  const row = await selectServerUser(services.db, key)
  if (!row)
    throw unknownUser(key)
  return presentUser(row)
}
