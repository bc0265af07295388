import { describe, expect, it } from 'vitest'
import { ageRotations, api, database, runCron, signIn } from './helpers'

function refresh(token: string) {
  return api('POST', '/users/auth/refresh/', {
    body: { refresh: token },
  })
}
function logout(token: string) {
  return api('POST', '/users/auth/logout/', {
    body: { refresh: token },
  })
}

async function tokenRows(userId: string): Promise<number> {
  const [row] = await database().query('SELECT count(*)::int AS n FROM refresh_tokens WHERE user_id = $1', [userId])
  return row!.n
}

/** Moves the user's session end (or expiry) `days` into the past. */
async function endedDaysAgo(userId: string, days: number): Promise<void> {
  await database().query(`UPDATE refresh_tokens SET family_ended_at = now() - make_interval(days => $2), revoked_at = now() - make_interval(days => $2) WHERE user_id = $1`, [userId, days])
}

describe('the clean-up Cron Trigger', () => {
  it('deletes sessions that ended or expired more than SESSION_RETENTION_DAYS ago, and keeps younger ones', async () => {
    const [endedLongAgo, endedRecently, expiredLongAgo, live] = [
      await signIn(),
      await signIn(),
      await signIn(),
      await signIn(),
    ]
    for (const user of [endedLongAgo, endedRecently])
      expect((await logout(user.refresh)).status).toBe(204)
    await endedDaysAgo(endedLongAgo.user.id, 31)
    await endedDaysAgo(endedRecently.user.id, 29)
    // A successor stored by a rotation that raced the end carries no mark of its own: it goes with its family.
    await database().query(`
      INSERT INTO refresh_tokens (user_id, token_hash, family_id, expires_at)
      SELECT user_id, 'raced-' || gen_random_uuid(), family_id, now() + interval '30 days' FROM refresh_tokens WHERE user_id = $1`, [endedLongAgo.user.id])
    await database().query(`UPDATE refresh_tokens SET expires_at = now() - interval '31 days' WHERE user_id = $1`, [expiredLongAgo.user.id])

    await runCron()

    expect(await tokenRows(endedLongAgo.user.id)).toBe(0)
    expect(await tokenRows(endedRecently.user.id)).toBe(1)
    expect(await tokenRows(expiredLongAgo.user.id)).toBe(0)
    expect(await tokenRows(live.user.id)).toBe(1)
    expect((await refresh(live.refresh)).status).toBe(200)
  })

  it('keeps rotated tokens of a live session until they expire, so reusing one still ends the session', async () => {
    const me = await signIn()
    const rotated = await refresh(me.refresh)
    expect(rotated.status).toBe(200)
    await ageRotations(me.user.id)
    // Rotated long ago (more than the retention), still within its own lifetime.
    await database().query(`UPDATE refresh_tokens SET revoked_at = now() - interval '40 days' WHERE user_id = $1 AND revoked_reason = 'rotated'`, [me.user.id])

    await runCron()

    expect(await tokenRows(me.user.id)).toBe(2)
    const reused = await refresh(me.refresh)
    expect(reused.status).toBe(401)
    expect(reused.body.detail).toMatch(/already used/)
    expect((await refresh(rotated.body.refresh)).status).toBe(401)
  })

  it('works through more rows than one batch in a run', async () => {
    const me = await signIn()
    await database().query(`
      INSERT INTO refresh_tokens (user_id, token_hash, family_id, expires_at, created_at)
      SELECT $1, 'old-' || gen_random_uuid(), gen_random_uuid(), now() - interval '60 days', now() - interval '90 days'
      FROM generate_series(1, 2500)`, [me.user.id])
    expect(await tokenRows(me.user.id)).toBe(2501)

    await runCron()

    expect(await tokenRows(me.user.id)).toBe(1)
    expect((await refresh(me.refresh)).status).toBe(200)
  })
})
