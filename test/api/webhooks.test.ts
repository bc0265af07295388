import type { RecordedDelivery, ScriptedAnswers } from '../support/webhook-receiver-protocol'
import { env } from 'cloudflare:test'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { TEST_SERVER_KEYS, TEST_WEBHOOK_SECRET } from '../support/server-keys'
import { api, BASE_URL, captureLogs, database, fetchWorker, lastCodeSentTo, runCron, sendSms, signIn, uniquePhone, verifySms, withSettings } from './helpers'

// This file runs in the "webhooks" project: the Worker delivers to the fake receiver through Miniflare's local queue,
// with max_retries from wrangler.toml and WEBHOOK_RETRY_BASE_SECONDS=0 (retries at once).
const MAX_ATTEMPTS = 6
const receiver = new URL(env.WEBHOOK_URL).origin
// Deliveries go through the queue's batches and retries: seconds, not milliseconds.
const slow = { timeout: 60_000 }

afterEach(() => {
  vi.restoreAllMocks()
})

async function deliveriesMentioning(match: string): Promise<RecordedDelivery[]> {
  return (await fetch(`${receiver}/__fake/deliveries?match=${encodeURIComponent(match)}`)).json()
}

/** Waits until the receiver has had `count` deliveries mentioning `match` (and gives them a moment to overshoot). */
async function awaitDeliveries(match: string, count: number, type?: string): Promise<RecordedDelivery[]> {
  const ofType = (deliveries: RecordedDelivery[]) => deliveries.filter(delivery => !type || JSON.parse(delivery.body).type === type)
  await vi.waitFor(async () => expect(ofType(await deliveriesMentioning(match)).length).toBeGreaterThanOrEqual(count), { timeout: 30_000, interval: 100 })
  return ofType(await deliveriesMentioning(match))
}

async function scriptReceiver(script: ScriptedAnswers): Promise<void> {
  await fetch(`${receiver}/__fake/script`, {
    method: 'POST',
    body: JSON.stringify(script),
  })
}

/** The receiver's side of Standard Webhooks, written apart from the Worker's signing code: the README's check. */
async function verifies(delivery: RecordedDelivery): Promise<boolean> {
  const { 'webhook-id': id, 'webhook-timestamp': timestamp, 'webhook-signature': signature } = delivery.headers
  const secret = Uint8Array.from(atob(TEST_WEBHOOK_SECRET.slice('whsec_'.length)), c => c.charCodeAt(0))
  const key = await crypto.subtle.importKey('raw', secret, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign'])
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(`${id}.${timestamp}.${delivery.body}`)))
  const expected = `v1,${btoa(String.fromCharCode(...mac))}`
  return signature!.split(' ').includes(expected) && Math.abs(Date.now() / 1000 - Number(timestamp)) < 300
}

async function outboxRows(match: string) {
  return database().query(`SELECT id, type, data, delivered_at, dead_lettered_at FROM webhook_events WHERE data::text LIKE '%' || $1 || '%' ORDER BY created_at, type`, [match])
}

function activate(token: string, code: string) {
  return api('PATCH', '/users/profile/update/', {
    token,
    body: { inviter_referral_code: code },
  })
}

function transact(userId: string, body: unknown, options: { env?: Env } = {}) {
  return fetchWorker(new Request(`${BASE_URL}/server/v1/users/${userId}/points/transactions/`, {
    method: 'POST',
    headers: {
      'Authorization': `Bearer ${TEST_SERVER_KEYS.full.key}`,
      'Idempotency-Key': crypto.randomUUID(),
      'Content-Type': 'application/json',
    },
    body: JSON.stringify(body),
  }), options.env)
}

describe('webhook deliveries', slow, () => {
  it('a sign-up is delivered as user.created with Standard Webhooks headers and a signature the receiver verifies', async () => {
    const phone = uniquePhone()
    const me = await signIn(phone)
    const [delivery] = await awaitDeliveries(phone, 1)
    expect(delivery!.path).toBe('/hooks')
    expect(delivery!.headers).toMatchObject({
      'content-type': 'application/json',
      'webhook-id': expect.stringMatching(/^[\da-f-]{36}$/),
      'webhook-timestamp': expect.stringMatching(/^\d{10}$/),
      'webhook-signature': expect.stringMatching(/^v1,[A-Z0-9+/]+=*$/i),
    })
    expect(await verifies(delivery!)).toBe(true)
    expect(await verifies({
      ...delivery!,
      body: delivery!.body.replace(phone, uniquePhone()),
    })).toBe(false)
    expect(JSON.parse(delivery!.body)).toEqual({
      type: 'user.created',
      timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT.*Z$/),
      data: { user_id: me.user.id, phone_number: phone, referral_code: me.user.referral_code },
    })
    await vi.waitFor(async () => expect((await outboxRows(phone))[0]!.delivered_at).not.toBeNull())
    // Signing in again creates no one: no second event.
    await signIn(phone)
    expect(await outboxRows(phone)).toHaveLength(1)
  })

  it('an activation is delivered as referral.activated with both amounts, and a points.changed for each ledger row', async () => {
    const [inviter, invitee] = [await signIn(), await signIn()]
    expect((await activate(invitee.access, inviter.user.referral_code)).status).toBe(200)
    const [activated] = await awaitDeliveries(invitee.user.id, 1, 'referral.activated')
    expect(JSON.parse(activated!.body).data).toEqual({
      invitee_id: invitee.user.id,
      inviter_id: inviter.user.id,
      invitee_points: 100,
      inviter_points: 200,
    })
    const changes = await awaitDeliveries(invitee.user.id, 2, 'points.changed')
    expect(changes.map(change => JSON.parse(change.body).data).sort((a, b) => a.amount - b.amount)).toEqual([
      {
        user_id: invitee.user.id,
        transaction_id: expect.any(String),
        amount: 100,
        reason: 'referral_invitee',
        reference: null,
        invitee_id: invitee.user.id,
        balance: 100,
      },
      {
        user_id: inviter.user.id,
        transaction_id: expect.any(String),
        amount: 200,
        reason: 'referral_inviter',
        reference: null,
        invitee_id: invitee.user.id,
        balance: 200,
      },
    ])
  })

  it('an activation refused as already_activated records and sends nothing', async () => {
    const [first, second, invitee] = [await signIn(), await signIn(), await signIn()]
    expect((await activate(invitee.access, first.user.referral_code)).status).toBe(200)
    await awaitDeliveries(invitee.user.id, 4)
    const refused = await activate(invitee.access, second.user.referral_code)
    expect(refused.status).toBe(409)
    expect(refused.body.code).toBe('referral_already_activated')
    expect(await outboxRows(second.user.id)).toHaveLength(1) // second's own user.created only
    expect(await outboxRows(invitee.user.id)).toHaveLength(4) // user.created, referral.activated, 2 × points.changed
    await new Promise(resolve => setTimeout(resolve, 1_500))
    expect(await deliveriesMentioning(invitee.user.id)).toHaveLength(4)
  })

  it('100 parallel activations of one inviter\'s code record and deliver exactly 100 referral.activated', async () => {
    const inviter = await signIn()
    const invitees = []
    for (let i = 0; i < 100; i += 20)
      invitees.push(...await Promise.all(Array.from({ length: 20 }, () => signIn())))
    const results = await Promise.all(invitees.map(invitee => activate(invitee.access, inviter.user.referral_code)))
    expect(results.every(result => result.status === 200)).toBe(true)
    const rows = (await outboxRows(inviter.user.id)).filter(row => row.type === 'referral.activated')
    expect(rows).toHaveLength(100)
    const delivered = await awaitDeliveries(inviter.user.id, 100, 'referral.activated')
    expect(new Set(delivered.map(delivery => delivery.headers['webhook-id']))).toEqual(new Set(rows.map(row => row.id)))
  })

  it('a points transaction is delivered as points.changed; a refused overdraw sends nothing', async () => {
    const me = await signIn()
    const credit = await transact(me.user.id, { amount: 40, reason: 'adjustment', reference: 'gift' })
    expect(credit.status).toBe(200)
    const transaction = await credit.json<{ id: string }>()
    expect((await transact(me.user.id, { amount: -41, reason: 'redemption' })).status).toBe(409)
    const [changed] = await awaitDeliveries(me.user.id, 1, 'points.changed')
    expect(JSON.parse(changed!.body).data).toEqual({
      user_id: me.user.id,
      transaction_id: transaction.id,
      amount: 40,
      reason: 'adjustment',
      reference: 'gift',
      invitee_id: null,
      balance: 40,
    })
    expect((await outboxRows(me.user.id)).map(row => row.type).sort()).toEqual(['points.changed', 'user.created'])
  })

  it('a deleted account is delivered as user.deleted', async () => {
    const me = await signIn()
    expect((await sendSms(me.phone, {
      env: withSettings({ OTP_RESEND_SECONDS: '0' }),
    })).status).toBe(202)
    const deleted = await api('POST', '/users/profile/delete/', {
      token: me.access,
      body: { sms_code: await lastCodeSentTo(me.phone) },
    })
    expect(deleted.status).toBe(204)
    const [gone] = await awaitDeliveries(me.user.id, 1, 'user.deleted')
    expect(JSON.parse(gone!.body).data).toEqual({ user_id: me.user.id })
  })

  it('the change answers after one database round trip: the event rides in its statement, the queue send follows the answer', async () => {
    const me = await signIn()
    const logs = captureLogs()
    expect((await transact(me.user.id, { amount: 1, reason: 'adjustment' })).status).toBe(200)
    expect(logs.requestLines().at(-1).hops).toEqual(['database'])
  })
})

describe('webhook retries', slow, () => {
  it('a receiver answering 500 then 200 gets the event twice, with the same webhook-id', async () => {
    const phone = uniquePhone()
    await scriptReceiver({
      match: phone,
      statuses: [500],
    })
    await signIn(phone)
    const deliveries = await awaitDeliveries(phone, 2)
    expect(deliveries.map(delivery => delivery.status)).toEqual([500, 200])
    expect(new Set(deliveries.map(delivery => delivery.headers['webhook-id'])).size).toBe(1)
    expect(deliveries.map(delivery => delivery.body)).toEqual([deliveries[0]!.body, deliveries[0]!.body])
    await vi.waitFor(async () => expect((await outboxRows(phone))[0]!.delivered_at).not.toBeNull())
  })

  it('a receiver down for the whole retry budget sends the event to the dead-letter queue, where it stays recorded', async () => {
    const phone = uniquePhone()
    await scriptReceiver({ match: phone, statuses: [], then: 503 })
    await signIn(phone)
    const deliveries = await awaitDeliveries(phone, MAX_ATTEMPTS)
    expect(new Set(deliveries.map(delivery => delivery.headers['webhook-id'])).size).toBe(1)
    await vi.waitFor(async () => expect((await outboxRows(phone))[0]!.dead_lettered_at).not.toBeNull(), { timeout: 10_000 })
    const [row] = await outboxRows(phone)
    expect(row!.delivered_at).toBeNull()
    expect(await deliveriesMentioning(phone)).toHaveLength(MAX_ATTEMPTS)
    // The sweep leaves dead-lettered events alone, however old.
    await database().query(`UPDATE webhook_events SET created_at = created_at - interval '1 hour' WHERE id = $1`, [row!.id])
    await runCron({ cron: '*/5 * * * *' })
    await new Promise(resolve => setTimeout(resolve, 1_500))
    expect(await deliveriesMentioning(phone)).toHaveLength(MAX_ATTEMPTS)
  })

  it('the Cron sweep sends an event whose queue send failed after the commit', async () => {
    const me = await signIn()
    const queueDown = {
      ...env,
      WEBHOOK_QUEUE: {
        send: () => Promise.reject(new Error('queue down')),
        sendBatch: () => Promise.reject(new Error('queue down')),
      },
    } as unknown as Env
    const logs = captureLogs()
    const credit = await transact(me.user.id, { amount: 25, reason: 'adjustment', reference: 'swept' }, { env: queueDown })
    expect(credit.status).toBe(200)
    expect(logs.lines.join('\n')).toContain('"webhook_enqueue_failed":1')
    vi.restoreAllMocks()
    const [row] = (await outboxRows(me.user.id)).filter(event => event.type === 'points.changed')
    expect(row!.delivered_at).toBeNull()
    // Not before the sweep's wait is over: an event may still be in the queue's retries.
    await runCron({ cron: '*/5 * * * *' })
    await new Promise(resolve => setTimeout(resolve, 1_500))
    expect(await awaitDeliveries(me.user.id, 0, 'points.changed')).toHaveLength(0)
    await database().query(`UPDATE webhook_events SET created_at = created_at - interval '31 minutes' WHERE id = $1`, [row!.id])
    await runCron({ cron: '*/5 * * * *' })
    const [delivery] = await awaitDeliveries(me.user.id, 1, 'points.changed')
    expect(delivery!.headers['webhook-id']).toBe(row!.id)
    await vi.waitFor(async () => expect((await outboxRows(me.user.id)).every(event => event.delivered_at !== null)).toBe(true))
  })

  it('with WEBHOOK_URL empty no event is recorded at all', async () => {
    const off = withSettings({ WEBHOOK_URL: '' })
    const phone = uniquePhone()
    expect((await sendSms(phone, { env: off })).status).toBe(202)
    const verified = await verifySms(phone, await lastCodeSentTo(phone), { env: off })
    expect(verified.status).toBe(200)
    expect((await transact(verified.body.user.id, { amount: 5, reason: 'adjustment' }, { env: off })).status).toBe(200)
    expect(await outboxRows(verified.body.user.id)).toHaveLength(0)
  })
})

describe('the clean-up Cron Trigger', slow, () => {
  it('deletes delivered events older than a week and keeps undelivered and dead-lettered ones', async () => {
    const me = await signIn()
    await awaitDeliveries(me.user.id, 1)
    await vi.waitFor(async () => expect((await outboxRows(me.user.id))[0]!.delivered_at).not.toBeNull())
    await database().query(`
      INSERT INTO webhook_events (type, data, created_at, delivered_at, dead_lettered_at)
      VALUES ('user.deleted', jsonb_build_object('user_id', $1::text, 'n', 1), now(), NULL, now() - interval '30 days'),
             ('user.deleted', jsonb_build_object('user_id', $1::text, 'n', 2), now(), now() - interval '6 days', NULL)`, [me.user.id])
    await database().query(`UPDATE webhook_events SET delivered_at = now() - interval '8 days' WHERE type = 'user.created' AND data->>'user_id' = $1`, [me.user.id])
    await runCron()
    expect((await outboxRows(me.user.id)).map(row => row.data.n)).toEqual([1, 2])
  })
})
