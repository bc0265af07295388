import type { RequestContext } from '../../src/lib/request-context'
import type { ApiResponse } from './helpers'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { remoteOperation, runInRequestContext } from '../../src/lib/request-context'
import { TEST_SERVER_KEYS } from '../support/server-keys'
import { api, captureLogs, lastCodeSentTo, sendSms, signIn, uniquePhone, verifySms, withSettings } from './helpers'

afterEach(() => {
  vi.restoreAllMocks()
})

/**
 * The sequential hops a request waited for, from its log line: each entry is one hop (what it reached), so the
 * remote operations of one entry ran side by side. At the edge each hop is a network round trip of its own.
 */
async function hopsOf(request: () => Promise<ApiResponse>, status: number): Promise<string[]> {
  const logs = captureLogs()
  const response = await request()
  expect(response.status, JSON.stringify(response.body)).toBe(status)
  const lines = logs.requestLines()
  vi.restoreAllMocks()
  return lines.at(-1).hops
}

describe('sequential hops per endpoint', () => {
  it('a code request consults every limit in one hop, then texts the code', async () => {
    expect(await hopsOf(() => sendSms(uniquePhone()), 202)).toEqual(['durable_object', 'sms'])
  })

  it('a returning user\'s code request is no deeper: the caps are given back after the answer', async () => {
    const me = await signIn()
    const noCooldown = withSettings({ OTP_RESEND_SECONDS: '0' })
    expect(await hopsOf(() => sendSms(me.phone, { env: noCooldown }), 202)).toEqual(['durable_object', 'sms'])
  })

  it('a verification checks the code in one hop to edge state, then signs in with one database round trip', async () => {
    const phone = uniquePhone()
    expect((await sendSms(phone)).status).toBe(202)
    const code = await lastCodeSentTo(phone)
    expect(await hopsOf(() => verifySms(phone, code), 200)).toEqual(['durable_object', 'database'])
  })

  it('with Twilio Verify, a verification counts the guess, asks Twilio, then uses the code and signs in: each waits for the one before', async () => {
    const verify = withSettings({ SMS_PROVIDER: 'twilio_verify' })
    const phone = uniquePhone()
    expect(await hopsOf(() => sendSms(phone, { env: verify }), 202)).toEqual(['durable_object', 'sms'])
    const code = await lastCodeSentTo(phone)
    // The guess is counted before Twilio sees it, and the code is used in our object only after Twilio approved it
    // (single use is ours, whatever Twilio answers to racing guesses): two hops more than for our own codes.
    expect(await hopsOf(() => verifySms(phone, code, { env: verify }), 200)).toEqual([
      'durable_object',
      'sms',
      'durable_object',
      'database',
    ])
  })

  it('a code sent by WhatsApp or Telegram costs the same hops as an SMS', async () => {
    const channels = withSettings({ SMS_CHANNELS: 'sms,whatsapp,telegram' })
    for (const channel of ['whatsapp', 'telegram']) {
      expect(await hopsOf(() => sendSms(uniquePhone(), {
        env: channels,
        fields: { channel },
      }), 202)).toEqual(['durable_object', 'sms'])
    }
  })

  it('reading the profile, a page of referrals, refreshing and signing out are one database round trip each', async () => {
    const me = await signIn()
    expect(await hopsOf(() => api('GET', '/users/profile/', { token: me.access }), 200)).toEqual(['database'])
    expect(await hopsOf(() => api('GET', '/users/profile/referrals/', { token: me.access }), 200)).toEqual(['database'])
    const refreshed = await api('POST', '/users/auth/refresh/', {
      body: { refresh: me.refresh },
    })
    expect(refreshed.status).toBe(200)
    const logs = captureLogs()
    await api('POST', '/users/auth/refresh/', {
      body: { refresh: refreshed.body.refresh },
    })
    expect(logs.requestLines().at(-1).hops).toEqual(['database'])
    vi.restoreAllMocks()
    expect(await hopsOf(() => api('POST', '/users/auth/logout/', {
      body: { refresh: me.refresh },
    }), 204)).toEqual(['database'])
  })

  it('a profile update, or an activation, charges the user\'s hourly quota and writes in one database round trip', async () => {
    const [inviter, me] = [await signIn(), await signIn()]
    expect(await hopsOf(() => api('PATCH', '/users/profile/update/', {
      token: me.access,
      body: { first_name: 'Ada' },
    }), 200)).toEqual(['database'])
    expect(await hopsOf(() => api('PATCH', '/users/profile/update/', {
      token: me.access,
      body: { inviter_referral_code: inviter.user.referral_code },
    }), 200)).toEqual(['database'])
  })

  it('each server API call is one database round trip, a transaction included', async () => {
    const me = await signIn()
    const headers = { Authorization: `Bearer ${TEST_SERVER_KEYS.full.key}` }
    expect(await hopsOf(() => api('GET', `/server/v1/users/${me.user.id}/`, { headers }), 200)).toEqual(['database'])
    expect(await hopsOf(() => api('GET', `/server/v1/users/?phone_number=${encodeURIComponent(me.phone)}`, { headers }), 200)).toEqual(['database'])
    expect(await hopsOf(() => api('GET', `/server/v1/users/${me.user.id}/points/ledger/`, { headers }), 200)).toEqual(['database'])
    expect(await hopsOf(() => api('POST', `/server/v1/users/${me.user.id}/points/transactions/`, {
      headers: {
        ...headers,
        'Idempotency-Key': crypto.randomUUID(),
      },
      body: { amount: 10, reason: 'adjustment' },
    }), 200)).toEqual(['database'])
  })

  it('qualifying and voiding a referral, and listing flagged ones, are one database round trip each', async () => {
    const held = withSettings({ REFERRAL_REWARD_ON: 'qualifying_event' })
    const [inviter, first, second] = [await signIn(), await signIn(), await signIn()]
    for (const invitee of [first, second]) {
      expect((await api('PATCH', '/users/profile/update/', {
        token: invitee.access,
        body: { inviter_referral_code: inviter.user.referral_code },
        env: held,
      })).status).toBe(200)
    }
    const settle = (userId: string, action: string, body?: unknown) => api('POST', `/server/v1/users/${userId}/referral/${action}/`, {
      headers: {
        'Authorization': `Bearer ${TEST_SERVER_KEYS.full.key}`,
        'Idempotency-Key': crypto.randomUUID(),
      },
      body,
      env: held,
    })
    expect(await hopsOf(() => settle(first.user.id, 'qualify'), 200)).toEqual(['database'])
    expect(await hopsOf(() => settle(second.user.id, 'void', { reason: 'refunded' }), 200)).toEqual(['database'])
    expect(await hopsOf(() => api('GET', '/server/v1/referrals/?status=flagged', {
      headers: { Authorization: `Bearer ${TEST_SERVER_KEYS.full.key}` },
    }), 200)).toEqual(['database'])
  })

  it('the public keys need nothing remote, and the health check asks both dependencies at once', async () => {
    expect(await hopsOf(() => api('GET', '/.well-known/jwks.json'), 200)).toEqual([])
    expect(await hopsOf(() => api('GET', '/health/'), 200)).toEqual(['database+durable_object'])
  })
})

describe('counting hops', () => {
  const settle = <T>(value: T, ms = 1) => new Promise<T>(resolve => setTimeout(resolve, ms, value))

  async function hopsWhile(work: () => Promise<unknown>): Promise<string[]> {
    const context: RequestContext = {
      requestId: 'test',
      startedAt: 0,
      dbRoundTrips: 0,
      hops: [],
      finishedHops: 0,
      waitUntil: () => {},
    }
    await runInRequestContext(context, work)
    return context.hops.map(kinds => [...kinds].sort().join('+'))
  }

  it('operations started together are one hop; one started after another finished is the next', async () => {
    expect(await hopsWhile(async () => {
      await Promise.all([
        remoteOperation('database', settle(1)),
        remoteOperation('durable_object', settle(2)),
      ])
      await remoteOperation('sms', settle(3))
    })).toEqual(['database+durable_object', 'sms'])
  })

  it('a chain of waits beside a slow operation counts each of its links', async () => {
    expect(await hopsWhile(() => Promise.all([
      remoteOperation('sms', settle(0, 50)),
      remoteOperation('database', settle(0)).then(() => remoteOperation('database', settle(0))),
    ]))).toEqual(['database+sms', 'database'])
  })
})
