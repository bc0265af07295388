import type { DatabaseFault } from '../support/database-fault'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { api, captureLogs, database, lastCodeSentTo, sendSms, signIn, uniquePhone, verifySms, withSettings } from '../api/helpers'
import { clearFaults, setDatabaseFault } from './faults'

afterEach(async () => {
  vi.restoreAllMocks()
  await clearFaults()
})

// This project's Worker has DB_TIMEOUT_MS=2000; a slow database holds each statement for longer than that.
// Each test waits out that timeout, and the held statements after it, while other projects share the machine.
vi.setConfig({ testTimeout: 20_000 })
const FAULTS: [string, DatabaseFault][] = [
  [
    'down (connection refused)',
    { mode: 'down' },
  ],
  [
    'slower than DB_TIMEOUT_MS',
    { mode: 'slow', delayMs: 4_000 },
  ],
  [
    'answering HTTP 500',
    { mode: 'error' },
  ],
  // What Postgres answers for a while after a restart: 52 requests got a 500 for it once.
  [
    'starting up (57P03 cannot_connect_now)',
    { mode: 'postgres-error', sqlState: '57P03' },
  ],
]

function expectUnavailable(response: Awaited<ReturnType<typeof api>>) {
  expect(response.status).toBe(503)
  expect(response.headers.get('Content-Type')).toBe('application/problem+json')
  expect(response.headers.get('Retry-After')).toBe('5')
  expect(response.body).toMatchObject({ status: 503, code: 'database_unavailable' })
}

/** Each user's balance against their ledger, and users against their sessions: what a partial write would break. */
async function consistency(userIds: string[]) {
  return database().query(`
    SELECT u.id, u.points, coalesce((SELECT sum(amount)::int FROM points_ledger WHERE user_id = u.id), 0) AS ledger,
      (SELECT count(*)::int FROM refresh_tokens WHERE user_id = u.id) AS sessions
    FROM users u WHERE u.id = ANY($1::uuid[]) ORDER BY u.id`, [userIds])
}

describe.each(FAULTS)('the database %s', (_, fault) => {
  const { mode } = fault

  it('signing in answers 503 with Retry-After, and leaves no user without a session', async () => {
    const phone = uniquePhone()
    expect((await api('POST', '/users/auth/send_sms/', {
      body: { phone_number: phone },
    })).status).toBe(202)
    const code = await lastCodeSentTo(phone)

    await setDatabaseFault(fault)
    const logs = captureLogs()
    expectUnavailable(await api('POST', '/users/auth/verify_sms/', {
      body: { phone_number: phone, sms_code: code },
    }))
    await setDatabaseFault({ mode: 'none' })
    // The failure is logged with its cause, but not with the failed statement's parameters (number, token hash).
    const [line] = logs.requestLines()
    expect(line).toMatchObject({
      status: 503,
      error: expect.stringContaining('database_unavailable'),
    })
    expect(logs.lines.join('\n')).not.toContain(phone.slice(1))
    vi.restoreAllMocks()

    // A statement that outlived the timeout may still have committed, but only whole: user and session together.
    const [row] = await database().query(`
      SELECT count(*)::int AS users, (SELECT count(*)::int FROM refresh_tokens t JOIN users u ON u.id = t.user_id WHERE u.phone_number = $1) AS sessions
      FROM users WHERE phone_number = $1`, [phone])
    expect(row!.sessions).toBe(row!.users)
    if (mode !== 'slow')
      expect(row).toEqual({ users: 0, sessions: 0 })

    // The code was given back, so the same code signs in once the database answers.
    const retried = await api('POST', '/users/auth/verify_sms/', {
      body: { phone_number: phone, sms_code: code },
    })
    expect(retried.status).toBe(200)
  })

  it('an activation answers 503 and moves no points without their ledger rows', async () => {
    const inviter = await signIn()
    const invitee = await signIn()
    const before = await consistency([inviter.user.id, invitee.user.id])

    await setDatabaseFault(fault)
    expectUnavailable(await api('PATCH', '/users/profile/update/', {
      token: invitee.access,
      body: { first_name: 'Half', inviter_referral_code: inviter.user.referral_code },
    }))
    await setDatabaseFault({ mode: 'none' })

    const after = await consistency([inviter.user.id, invitee.user.id])
    for (const user of after)
      expect(user.points).toBe(user.ledger)
    if (mode !== 'slow')
      expect(after).toEqual(before)
    // Nothing is lost either way: the activation either happened whole or can be made now.
    const retry = await api('PATCH', '/users/profile/update/', {
      token: invitee.access,
      body: { inviter_referral_code: inviter.user.referral_code },
    })
    expect([200, 409]).toContain(retry.status)
    expect((await api('GET', '/users/profile/', { token: invitee.access })).body).toMatchObject({ points: 100, inviter_referral_code: inviter.user.referral_code })
  })

  it('a refresh answers 503 and the refresh token is not lost', async () => {
    const me = await signIn()
    await setDatabaseFault(fault)
    expectUnavailable(await api('POST', '/users/auth/refresh/', {
      body: { refresh: me.refresh },
    }))
    await setDatabaseFault({ mode: 'none' })
    const [row] = await database().query(`SELECT count(*)::int AS live FROM refresh_tokens WHERE user_id = $1 AND revoked_at IS NULL`, [me.user.id])
    // One live token: the old one if the rotation never ran, or its successor if it committed after the timeout.
    expect(row!.live).toBe(1)
    if (mode !== 'slow') {
      expect((await api('POST', '/users/auth/refresh/', {
        body: { refresh: me.refresh },
      })).status).toBe(200)
    }
  })

  it('reading the profile answers 503 with a problem body that names no host or driver detail', async () => {
    const me = await signIn()
    await setDatabaseFault(fault)
    const response = await api('GET', '/users/profile/', { token: me.access })
    expectUnavailable(response)
    expect(JSON.stringify(response.body)).not.toMatch(/127\.0\.0\.1|localhost|neon|fetch|HTTP status|abort/i)
  })

  it('the health endpoint answers 503, database unavailable, Durable Objects ok', async () => {
    await setDatabaseFault(fault)
    const response = await api('GET', '/health')
    expect(response.status).toBe(503)
    expect(response.headers.get('Retry-After')).toBe('5')
    expect(response.body).toEqual({
      status: 'unavailable',
      checks: { database: 'unavailable', durable_objects: 'ok' },
    })
  })
})

describe('errors Postgres itself reports', () => {
  it('every transient one (connection, resources, operator intervention, serialization, deadlock) is a 503 to retry', async () => {
    const me = await signIn()
    for (const sqlState of [
      '08006',
      '08001',
      '53300',
      '53200',
      '57P01',
      '57P03',
      '57014',
      '40001',
      '40P01',
    ]) {
      await setDatabaseFault({ mode: 'postgres-error', sqlState })
      const response = await api('GET', '/users/profile/', { token: me.access })
      expect(response.status, sqlState).toBe(503)
      expect(response.headers.get('Retry-After'), sqlState).toBe('5')
      expect(response.body.code, sqlState).toBe('database_unavailable')
    }
  })

  it('one that retrying cannot cure (a bug in a statement) stays a 500, logged with its SQLSTATE', async () => {
    const me = await signIn()
    for (const sqlState of ['42703', '22008', '40002', '23502']) {
      await setDatabaseFault({ mode: 'postgres-error', sqlState })
      const logs = captureLogs()
      const response = await api('GET', '/users/profile/', { token: me.access })
      expect(response.status, sqlState).toBe(500)
      expect(response.body.code, sqlState).toBe('internal_error')
      expect(logs.requestLines()[0].error, sqlState).toContain(`NeonDbError [${sqlState}]`)
      vi.restoreAllMocks()
    }
  })
})

describe('after the database recovers', () => {
  it('the service answers normally again without a restart', async () => {
    await setDatabaseFault({ mode: 'down' })
    expect((await api('GET', '/health')).status).toBe(503)
    await setDatabaseFault({ mode: 'none' })
    expect((await api('GET', '/health')).body).toEqual({
      status: 'ok',
      checks: { database: 'ok', durable_objects: 'ok' },
    })
    const me = await signIn()
    expect((await api('GET', '/users/profile/', { token: me.access })).status).toBe(200)
  })
})

// A code Twilio Verify made and approved, whose sign-in then failed on the database: Twilio has spent it, so the
// number's Durable Object keeps the approved code's keyed hash and checks the retry itself.
describe('twilio Verify with the database down', () => {
  it('gives the approved code back: the same code signs in once the database answers, and only once', async () => {
    const verify = withSettings({ SMS_PROVIDER: 'twilio_verify' })
    const phone = uniquePhone()
    expect((await sendSms(phone, { env: verify })).status).toBe(202)
    const code = await lastCodeSentTo(phone)

    await setDatabaseFault({ mode: 'down' })
    expectUnavailable(await verifySms(phone, code, { env: verify }))
    await setDatabaseFault({ mode: 'none' })

    expect((await verifySms(phone, code, { env: verify })).status).toBe(200)
    expect((await verifySms(phone, code, { env: verify })).status).toBe(400)
  })
})
