import type { UserId } from '../../src/domain/user-id'
import { env } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { loadConfig } from '../../src/config'
import { changePhoneNumber } from '../../src/db/account'
import { createDatabase } from '../../src/db/client'
import { api, countRoundTrips, lastCodeSentTo, randomAddress, signIn, uniquePhone, withSettings } from './helpers'

const noCooldown = () => withSettings({ OTP_RESEND_SECONDS: '0' })

/** Step 1 from a client address of its own: the code and its verification id, as the app would keep them. */
async function codeForNewNumber(token: string, newPhone: string) {
  const sent = await api('POST', '/users/profile/phone/', {
    token,
    body: { new_phone_number: newPhone },
    env: noCooldown(),
    headers: {
      'CF-Connecting-IP': randomAddress(),
    },
  })
  expect(sent.status, JSON.stringify(sent.body)).toBe(202)
  return { sms_code: await lastCodeSentTo(newPhone), verification_id: sent.body.verification_id as string }
}

function verifyNewNumber(token: string, newPhone: string, proof: { sms_code: string, verification_id?: string }) {
  return api('POST', '/users/profile/phone/verify/', {
    token,
    body: { new_phone_number: newPhone, ...proof },
  })
}
function refresh(token: string) {
  return api('POST', '/users/auth/refresh/', {
    body: { refresh: token },
  })
}

describe('changing the phone number (POST /users/profile/phone/, then …/verify/)', () => {
  it('moves the account to the new number, keeps its code and points, and signs out every other session', async () => {
    const inviter = await signIn()
    const me = await signIn()
    const otherDevice = await signIn(me.phone)
    expect((await api('PATCH', '/users/profile/update/', {
      token: me.access,
      body: { inviter_referral_code: inviter.user.referral_code },
    })).status).toBe(200)
    const newPhone = uniquePhone()

    const proof = await codeForNewNumber(me.access, newPhone)
    const { result: changed, roundTrips } = await countRoundTrips(() => verifyNewNumber(me.access, newPhone, proof))
    expect(changed.status, JSON.stringify(changed.body)).toBe(200)
    expect(roundTrips).toBe(1)
    expect(changed.body).toMatchObject({
      id: me.user.id,
      phone_number: newPhone,
      referral_code: me.user.referral_code,
      points: 100,
      inviter_referral_code: inviter.user.referral_code,
    })

    expect((await refresh(otherDevice.refresh)).status).toBe(401)
    expect((await refresh(me.refresh)).status).toBe(200)
    expect((await api('GET', '/users/profile/', { token: inviter.access })).body.points).toBe(200)

    // The new number signs in to this account; the old one is free at once, for a new account.
    expect((await signIn(newPhone)).user.id).toBe(me.user.id)
    const oldNumber = await signIn(me.phone)
    expect(oldNumber.isNewUser).toBe(true)
    expect(oldNumber.user.id).not.toBe(me.user.id)
  })

  it('answers 409 phone_number_taken when another account holds the number, and changes nothing', async () => {
    const [holder, me] = [await signIn(), await signIn()]
    const otherDevice = await signIn(me.phone)
    const proof = await codeForNewNumber(me.access, holder.phone)
    const refused = await verifyNewNumber(me.access, holder.phone, proof)
    expect(refused.status).toBe(409)
    expect(refused.body).toMatchObject({
      code: 'phone_number_taken',
      errors: [
        { path: 'new_phone_number' },
      ],
    })
    expect((await api('GET', '/users/profile/', { token: me.access })).body.phone_number).toBe(me.phone)
    expect((await refresh(otherDevice.refresh)).status).toBe(200)
  })

  it('gives a number claimed by two users at once to exactly one of them', async () => {
    const [first, second] = [await signIn(), await signIn()]
    const contested = uniquePhone()
    const firstProof = await codeForNewNumber(first.access, contested)
    const secondProof = await codeForNewNumber(second.access, contested)

    const answers = await Promise.all([
      verifyNewNumber(first.access, contested, firstProof),
      verifyNewNumber(second.access, contested, secondProof),
    ])
    // The number's Durable Object lets one right guess through and ends the number's other codes with it, so the
    // loser is usually told its code is used up (400); one that got past it meets the unique index (409).
    const [won, lost] = answers.sort((a, b) => a.status - b.status)
    expect(won!.status).toBe(200)
    expect([400, 409]).toContain(lost!.status)
    expect(['invalid_sms_code', 'phone_number_taken']).toContain(lost!.body.code)
    const holders = await Promise.all([first, second].map(async user => (await api('GET', '/users/profile/', { token: user.access })).body.phone_number))
    expect(holders.filter(phone => phone === contested)).toHaveLength(1)
  })

  it('leaves the choice to the unique index when two changes to one number reach the database at once', async () => {
    const db = createDatabase(loadConfig(env))
    const [first, second] = [await signIn(), await signIn()]
    const contested = uniquePhone()
    const outcomes = await Promise.all([first, second].map(user => changePhoneNumber(db, user.user.id as UserId, {
      newPhoneNumber: contested,
      newRewardKey: crypto.randomUUID(),
      keepSessionId: undefined,
    }, 1)))
    expect(outcomes.filter(outcome => outcome === 'taken')).toHaveLength(1)
    expect(outcomes.filter(outcome => typeof outcome === 'object' && outcome?.phone_number === contested)).toHaveLength(1)
  })

  it('refuses a stolen access token without the code sent to the new number', async () => {
    const [victim, attacker] = [await signIn(), await signIn()]
    const target = uniquePhone()
    await codeForNewNumber(victim.access, target)
    // A code for the attacker's own number proves nothing about the new one.
    const attackerCode = await codeForNewNumber(attacker.access, uniquePhone())
    for (const proof of [
      { sms_code: '000000' },
      { sms_code: attackerCode.sms_code },
    ]) {
      const refused = await verifyNewNumber(victim.access, target, proof)
      expect(refused.status).toBe(400)
      expect(refused.body.code).toBe('invalid_sms_code')
    }
    expect((await api('GET', '/users/profile/', { token: victim.access })).body.phone_number).toBe(victim.phone)
  })

  it('names new_phone_number when the number is invalid or cannot be texted', async () => {
    const me = await signIn()
    const invalid = await api('POST', '/users/profile/phone/', {
      token: me.access,
      body: { new_phone_number: 'call me' },
    })
    expect(invalid.status).toBe(400)
    expect(invalid.body.errors[0].path).toBe('new_phone_number')
    const landline = await api('POST', '/users/profile/phone/', {
      token: me.access,
      body: { new_phone_number: '+442071234567' },
    })
    expect(landline.status).toBe(422)
    expect(landline.body).toMatchObject({
      code: 'phone_number_not_textable',
      errors: [
        { path: 'new_phone_number' },
      ],
    })
    const noCode = await api('POST', '/users/profile/phone/verify/', {
      token: me.access,
      body: {
        new_phone_number: uniquePhone(),
      },
    })
    expect(noCode.status).toBe(400)
    expect(noCode.body.errors[0].path).toBe('sms_code')
  })

  it('answers 401 without an access token', async () => {
    expect((await api('POST', '/users/profile/phone/', {
      body: {
        new_phone_number: uniquePhone(),
      },
    })).status).toBe(401)
    expect((await api('POST', '/users/profile/phone/verify/', {
      body: {
        new_phone_number: uniquePhone(),
        sms_code: '123456',
      },
    })).status).toBe(401)
  })
})
