import { describe, expect, it } from 'vitest'
import { api, database, lastCodeSentTo, signIn, uniquePhone } from './helpers'

const update = (token: string, body: unknown) => api('PATCH', '/users/profile/update/', { token, body })

describe('racing requests', () => {
  it('two users activating each other\'s codes at the same instant: at most one succeeds, no cycle is stored', async () => {
    const a = await signIn()
    const b = await signIn()
    const results = await Promise.all([
      update(a.access, { inviter_referral_code: b.user.referral_code }),
      update(b.access, { inviter_referral_code: a.user.referral_code }),
    ])
    const statuses = results.map(result => result.status).sort()
    expect(statuses).toEqual([200, 409])
    const rows = await database().query('SELECT count(*)::int AS linked FROM users WHERE id = ANY($1::uuid[]) AND inviter_id IS NOT NULL', [
      [a.user.id, b.user.id],
    ])
    expect(rows[0]!.linked).toBe(1)
  })

  it('one user firing activations with different codes at once: exactly one succeeds and one inviter is paid', async () => {
    const inviters = await Promise.all(Array.from({ length: 5 }, () => signIn()))
    const invitee = await signIn()
    const results = await Promise.all(inviters.map(inviter => update(invitee.access, { inviter_referral_code: inviter.user.referral_code })))
    expect(results.filter(result => result.status === 200)).toHaveLength(1)
    expect(results.filter(result => result.status === 409)).toHaveLength(4)
    const paid = await database().query('SELECT sum(points)::int AS total FROM users WHERE id = ANY($1::uuid[])', [
      inviters.map(inviter => inviter.user.id),
    ])
    expect(paid[0]!.total).toBe(200)
  })

  it('many invitees activating one inviter\'s code at once are all paid for', async () => {
    const inviter = await signIn()
    const invitees = await Promise.all(Array.from({ length: 10 }, () => signIn()))
    const results = await Promise.all(invitees.map(invitee => update(invitee.access, { inviter_referral_code: inviter.user.referral_code })))
    expect(results.every(result => result.status === 200)).toBe(true)
    const [row] = await database().query(`
      SELECT u.points, (SELECT sum(amount)::int FROM points_ledger WHERE user_id = u.id) AS ledger FROM users u WHERE u.id = $1`, [inviter.user.id])
    expect(row).toEqual({ points: 2000, ledger: 2000 })
  })

  it('parallel verifications of one new number create exactly one user', async () => {
    const phone = uniquePhone()
    await api('POST', '/users/auth/send_sms/', {
      body: { phone_number: phone },
    })
    const code = await lastCodeSentTo(phone)
    const results = await Promise.all(Array.from({ length: 5 }, () => api('POST', '/users/auth/verify_sms/', {
      body: { phone_number: phone, sms_code: code },
    })))
    expect(results.every(result => result.status === 200 || result.status === 400)).toBe(true)
    const rows = await database().query('SELECT count(*)::int AS users FROM users WHERE phone_number = $1', [phone])
    expect(rows[0]!.users).toBe(1)
  })
})
