import { describe, expect, it } from 'vitest'
import { api, database, lastCodeSentTo, randomAddress, sendSms, signIn, withSettings } from './helpers'

const noCooldown = () => withSettings({ OTP_RESEND_SECONDS: '0' })

/** A fresh code to `phone`, as the app gets one before a step that needs proof of the number. */
async function freshCode(phone: string): Promise<string> {
  const sent = await sendSms(phone, {
    env: noCooldown(),
    from: randomAddress(),
  })
  expect(sent.status).toBe(202)
  return lastCodeSentTo(phone)
}

const deleteAccount = (token: string, body: unknown) => api('POST', '/users/profile/delete/', { token, body })
function activate(token: string, code: string) {
  return api('PATCH', '/users/profile/update/', {
    token,
    body: { inviter_referral_code: code },
  })
}

async function expectLedgerMatchesBalances() {
  const rows = await database().query(`
    SELECT u.id, u.points, coalesce(sum(l.amount), 0)::int AS ledger
    FROM users u LEFT JOIN points_ledger l ON l.user_id = u.id
    GROUP BY u.id HAVING u.points <> coalesce(sum(l.amount), 0)`)
  expect(rows, 'every balance equals its ledger').toEqual([])
}

describe('deleting the account (POST /users/profile/delete/)', () => {
  it('deletes the account with a fresh code; invitees and the inviter keep their points, and the ledger still adds up', async () => {
    const [inviter, me, invitee] = [await signIn(), await signIn(), await signIn()]
    expect((await activate(me.access, inviter.user.referral_code)).status).toBe(200)
    expect((await activate(invitee.access, me.user.referral_code)).status).toBe(200)

    const deleted = await deleteAccount(me.access, { sms_code: await freshCode(me.phone) })
    expect(deleted.status, JSON.stringify(deleted.body)).toBe(204)

    const gone = await api('GET', '/users/profile/', { token: me.access })
    expect(gone.status).toBe(401)
    expect(gone.body.code).toBe('user_not_found')
    expect((await api('POST', '/users/auth/refresh/', {
      body: { refresh: me.refresh },
    })).status).toBe(401)

    const inviteeNow = await api('GET', '/users/profile/', { token: invitee.access })
    expect(inviteeNow.body).toMatchObject({ points: 100, inviter_referral_code: null })
    const inviterNow = await api('GET', '/users/profile/', { token: inviter.access })
    expect(inviterNow.body).toMatchObject({ points: 200, referrals_count: 0 })
    await expectLedgerMatchesBalances()
  })

  it('lets the number join again as a new user, who cannot earn the invitee reward a second time', async () => {
    const [inviter, me] = [await signIn(), await signIn()]
    expect((await activate(me.access, inviter.user.referral_code)).status).toBe(200)
    expect((await deleteAccount(me.access, { sms_code: await freshCode(me.phone) })).status).toBe(204)

    const again = await signIn(me.phone)
    expect(again.isNewUser).toBe(true)
    expect(again.user.id).not.toBe(me.user.id)
    expect(again.user.referral_code).not.toBe(me.user.referral_code)
    expect(again.user.points).toBe(0)

    const otherInviter = await signIn()
    for (const code of [inviter.user.referral_code, otherInviter.user.referral_code]) {
      const refused = await activate(again.access, code)
      expect(refused.status).toBe(409)
      expect(refused.body.code).toBe('referral_already_activated')
    }
    expect((await api('GET', '/users/profile/', { token: inviter.access })).body.points).toBe(200)
    expect((await api('GET', '/users/profile/', { token: otherInviter.access })).body.points).toBe(0)
    expect((await api('GET', '/users/profile/', { token: again.access })).body.points).toBe(0)
    await expectLedgerMatchesBalances()
  })

  it('lets a number that was never rewarded activate a code after re-joining', async () => {
    const [inviter, me] = [await signIn(), await signIn()]
    expect((await deleteAccount(me.access, { sms_code: await freshCode(me.phone) })).status).toBe(204)
    const again = await signIn(me.phone)
    const activated = await activate(again.access, inviter.user.referral_code)
    expect(activated.status).toBe(200)
    expect(activated.body.points).toBe(100)
  })

  it('refuses a stolen access token without a code, with a wrong code, or with a code for another number', async () => {
    const [victim, attacker] = [await signIn(), await signIn()]
    const attempts = [
      { body: {}, status: 400, code: 'validation_failed' },
      {
        body: { sms_code: 'abc' },
        status: 400,
        code: 'validation_failed',
      },
      {
        body: { sms_code: '000000' },
        status: 400,
        code: 'invalid_sms_code',
      },
      // The attacker's own number gets a code; it proves nothing about the victim's.
      {
        body: { sms_code: await freshCode(attacker.phone) },
        status: 400,
        code: 'invalid_sms_code',
      },
    ]
    for (const attempt of attempts) {
      const refused = await deleteAccount(victim.access, attempt.body)
      expect(refused.status).toBe(attempt.status)
      expect(refused.body.code).toBe(attempt.code)
    }
    expect((await api('GET', '/users/profile/', { token: victim.access })).status).toBe(200)
  })

  it('answers 401 without an access token, and the code stays usable', async () => {
    const me = await signIn()
    const code = await freshCode(me.phone)
    expect((await api('POST', '/users/profile/delete/', {
      body: { sms_code: code },
    })).status).toBe(401)
    expect((await deleteAccount(me.access, { sms_code: code })).status).toBe(204)
  })
})
