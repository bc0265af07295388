import type { RecordedDelivery } from '../support/webhook-receiver-protocol'
import type { SignedIn } from './helpers'
import { env } from 'cloudflare:test'
import { describe, expect, it, vi } from 'vitest'
import { TEST_SERVER_KEYS } from '../support/server-keys'
import { api, database, runCron, signIn, withSettings } from './helpers'

// The "webhooks" project (see webhooks.test.ts): events are delivered to the fake receiver through the local queue.
const held = withSettings({ REFERRAL_REWARD_ON: 'qualifying_event' })
const slow = { timeout: 60_000 }

/** The events the receiver was sent about this invitee, by type, once `expected` of them have arrived. */
async function deliveredTypes(invitee: SignedIn, expected: number): Promise<string[]> {
  const url = `${new URL(env.WEBHOOK_URL).origin}/__fake/deliveries?match=${invitee.user.id}`
  let deliveries: RecordedDelivery[] = []
  await vi.waitFor(async () => {
    deliveries = await (await fetch(url)).json()
    expect(deliveries.length).toBeGreaterThanOrEqual(expected)
  }, { timeout: 30_000, interval: 100 })
  // A moment for any event that should not exist to arrive too.
  await new Promise(resolve => setTimeout(resolve, 500))
  deliveries = await (await fetch(url)).json()
  return deliveries.map(delivery => JSON.parse(delivery.body).type).sort()
}

async function eventData(invitee: SignedIn, type: string) {
  const rows = await database().query(`SELECT data FROM webhook_events WHERE type = $2 AND data->>'invitee_id' = $1`, [invitee.user.id, type])
  return rows.map(row => row.data)
}

async function heldReferral(): Promise<[SignedIn, SignedIn]> {
  const [inviter, invitee] = [await signIn(), await signIn()]
  const activated = await api('PATCH', '/users/profile/update/', {
    token: invitee.access,
    body: { inviter_referral_code: inviter.user.referral_code },
    env: held,
  })
  expect(activated.status).toBe(200)
  return [inviter, invitee]
}

function settle(invitee: SignedIn, action: 'qualify' | 'void', body?: unknown) {
  return api('POST', `/server/v1/users/${invitee.user.id}/referral/${action}/`, {
    headers: {
      'Authorization': `Bearer ${TEST_SERVER_KEYS.full.key}`,
      'Idempotency-Key': crypto.randomUUID(),
    },
    body,
    env: held,
  })
}

describe('referral rule events', slow, () => {
  it('a held activation sends referral.activated naming both states, and no points.changed: no balance changed', async () => {
    const [inviter, invitee] = await heldReferral()
    expect(await deliveredTypes(invitee, 2)).toEqual(['referral.activated', 'user.created'])
    expect(await eventData(invitee, 'referral.activated')).toEqual([
      {
        invitee_id: invitee.user.id,
        inviter_id: inviter.user.id,
        invitee_points: 100,
        inviter_points: 200,
        invitee_state: 'pending',
        inviter_state: 'pending',
      },
    ])
  })

  it('a qualification sends referral.qualified once and a points.changed per balance, however often it is asked', async () => {
    const [inviter, invitee] = await heldReferral()
    const results = await Promise.all([
      settle(invitee, 'qualify'),
      settle(invitee, 'qualify'),
      settle(invitee, 'qualify'),
    ])
    expect(results.map(result => result.status)).toEqual([200, 200, 200])
    expect(await deliveredTypes(invitee, 5)).toEqual([
      'points.changed',
      'points.changed',
      'referral.activated',
      'referral.qualified',
      'user.created',
    ])
    expect(await eventData(invitee, 'referral.qualified')).toEqual([
      {
        invitee_id: invitee.user.id,
        inviter_id: inviter.user.id,
        invitee_points: 100,
        inviter_points: 200,
      },
    ])
  })

  it('a void sends referral.voided with the reason, and no points.changed', async () => {
    const [inviter, invitee] = await heldReferral()
    expect((await settle(invitee, 'void', { reason: 'fraud review' })).status).toBe(200)
    expect((await settle(invitee, 'void', { reason: 'fraud review' })).status).toBe(200)
    expect(await deliveredTypes(invitee, 3)).toEqual(['referral.activated', 'referral.voided', 'user.created'])
    expect(await eventData(invitee, 'referral.voided')).toEqual([
      {
        invitee_id: invitee.user.id,
        inviter_id: inviter.user.id,
        invitee_points: 100,
        inviter_points: 200,
        reason: 'fraud review',
      },
    ])
  })

  it('the cron\'s expiry sends referral.voided with the reason "expired"', async () => {
    const [inviter, invitee] = await heldReferral()
    await database().query(`UPDATE points_ledger SET created_at = now() - interval '31 days' WHERE invitee_id = $1`, [invitee.user.id])
    await runCron()
    expect(await deliveredTypes(invitee, 3)).toEqual(['referral.activated', 'referral.voided', 'user.created'])
    expect(await eventData(invitee, 'referral.voided')).toEqual([
      {
        invitee_id: invitee.user.id,
        inviter_id: inviter.user.id,
        invitee_points: 100,
        inviter_points: 200,
        reason: 'expired',
      },
    ])
  })
})
