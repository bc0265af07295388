import type { E164 } from '../domain/phone-number'
import type { UserId } from '../domain/user-id'
import type { Database } from './client'
import type { UserRow } from './user-row'
import { sql } from 'drizzle-orm'
import { roundTrip } from './errors'
import { userColumns } from './user-row'

export type ServerUserRow = UserRow & {
  inviter_id: UserId | null
  referrals_count: number
  created_at: string
}

/** How the server API names a user: by id, or by phone number. */
export type UserKey = { id: UserId } | { phoneNumber: E164 }

/** A user as the server API shows them; null when there is none. */
export async function selectServerUser(db: Database, key: UserKey): Promise<ServerUserRow | null> {
  const where = 'id' in key
    ? sql`u.id = ${key.id}`
    : sql`u.phone_number = ${key.phoneNumber}`
  const result = await roundTrip(() => db.execute<ServerUserRow>(sql`
    SELECT ${userColumns('u')}, u.inviter_id, u.created_at,
      (SELECT count(*)::int FROM users referral WHERE referral.inviter_id = u.id) AS referrals_count
    FROM users u WHERE ${where}`))
  return result.rows[0] ?? null
}
