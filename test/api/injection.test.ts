// SQL- and JSON-looking input in every field is data: stored exactly as sent, or refused by validation, and never
// executed. Every statement binds its values as parameters; these tests hold that promise to account.
import { describe, expect, it } from 'vitest'
import { api, database, signIn } from './helpers'

const PAYLOADS = [
  '\'; DROP TABLE users; --',
  'Robert\'); DROP TABLE users;--',
  '\' OR \'1\'=\'1',
  '1; DELETE FROM points_ledger',
  '$$; TRUNCATE users CASCADE; $$',
  '\\\'; SELECT pg_sleep(10); --',
  'x\' UNION SELECT token_hash FROM refresh_tokens --',
  '{"$ne":null}',
  '{"$gt":""}',
  '"},{"points":1000000,"x":"',
  '</script><script>alert(1)</script>',
  'NULL',
]

/** Tables and their sizes: what an executed payload would change. */
async function schemaAndCounts() {
  const [row] = await database().query(`
    SELECT (SELECT string_agg(table_name, ',' ORDER BY table_name) FROM information_schema.tables WHERE table_schema = 'public') AS tables,
      (SELECT count(*)::int FROM users) AS users, (SELECT count(*)::int FROM points_ledger) AS ledger,
      (SELECT count(*)::int FROM refresh_tokens WHERE revoked_at IS NULL) AS live_sessions`)
  return row!
}

describe.each(PAYLOADS)('the payload %j', (payload) => {
  it('in names is stored verbatim and shown back verbatim', async () => {
    const me = await signIn()
    const response = await api('PATCH', '/users/profile/update/', {
      token: me.access,
      body: { first_name: payload, last_name: payload },
    })
    expect(response.status).toBe(200)
    expect(response.body).toMatchObject({ first_name: payload, last_name: payload })
    const [row] = await database().query('SELECT first_name, last_name FROM users WHERE id = $1', [me.user.id])
    expect(row).toEqual({ first_name: payload, last_name: payload })
  })

  it('in every other field is refused or matches nothing, and changes nothing else', async () => {
    const me = await signIn()
    const before = await schemaAndCounts()
    const answers = await Promise.all([
      api('POST', '/users/auth/send_sms/', {
        body: { phone_number: payload },
      }),
      api('POST', '/users/auth/verify_sms/', {
        body: { phone_number: payload, sms_code: payload },
      }),
      api('POST', '/users/auth/refresh/', {
        body: { refresh: payload },
      }),
      api('POST', '/users/auth/logout/', {
        body: { refresh: payload },
      }),
      api('PATCH', '/users/profile/update/', {
        token: me.access,
        body: { email: payload },
      }),
      api('PATCH', '/users/profile/update/', {
        token: me.access,
        body: { inviter_referral_code: payload },
      }),
      api('PATCH', '/users/profile/update/', {
        token: me.access,
        body: {
          first_name: JSON.parse(JSON.stringify({ $ne: null })),
        },
      }),
      api('GET', `/users/profile/referrals/?cursor=${encodeURIComponent(payload)}&limit=${encodeURIComponent(payload)}`, { token: me.access }),
      api('GET', '/users/profile/', { token: payload }),
      api('GET', '/users/profile/', {
        token: me.access,
        headers: { 'X-Request-Id': payload },
      }),
    ])
    const [sendSms, verifySms, refresh, logout, email, code, objectName, referrals, badToken, requestId] = answers
    expect(sendSms!.body.code).toBe('validation_failed')
    expect(verifySms!.body.code).toBe('validation_failed')
    expect(refresh!.body.code).toBe('invalid_refresh_token')
    expect(logout!.status).toBe(204)
    // An address may contain quotes and such by RFC 5321's rules; zod's stricter check may refuse it. Either way, verbatim.
    if (email!.status === 200)
      expect(email!.body.email).toBe(payload)
    else
      expect(email!.body.code).toBe('validation_failed')
    expect(code!.body.code).toBe('validation_failed')
    expect(objectName!.body.code).toBe('validation_failed')
    expect(referrals!.body.code).toBe('validation_failed')
    expect(badToken!.status).toBe(401)
    expect(requestId!.status).toBe(200)
    // A caller's request id is never taken as ours (it is logged apart, cleaned).
    expect(requestId!.headers.get('X-Request-Id')).toMatch(/^[0-9a-f-]{36}$/)

    const after = await schemaAndCounts()
    expect(after).toEqual({ ...before, users: after.users })
    expect(after.users).toBeGreaterThanOrEqual(before.users)
    const [row] = await database().query('SELECT first_name, last_name, points, inviter_id FROM users WHERE id = $1', [me.user.id])
    expect(row).toEqual({
      first_name: '',
      last_name: '',
      points: 0,
      inviter_id: null,
    })
  })
})
