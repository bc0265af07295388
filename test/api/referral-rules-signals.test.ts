import type { ApiResponse, SignedIn } from './helpers'
import { describe, expect, it } from 'vitest'
import { parseE164 } from '../../src/domain/phone-number'
import { TEST_SERVER_KEYS } from '../support/server-keys'
import { api, database, signIn, withSettings } from './helpers'

/** An IPv4 address in a /24 of its own (10.x.y.0/24), and another host of the same /24. */
function network(): { host: (n: number) => string } {
  const prefix = `10.${Math.floor(Math.random() * 256)}.${Math.floor(Math.random() * 256)}`
  return {
    host: n => `${prefix}.${n}`,
  }
}

/** A valid Russian mobile number outside +7 91x, where uniquePhone's numbers all are. */
function phoneInAnotherRange() {
  return parseE164(`+7950${String(Math.floor(Math.random() * 10_000_000)).padStart(7, '0')}`)!
}

/** Signs a new number (or `phone`) in from `address`, so the sign-in records that client's network. */
function signInFrom(address: string, phone?: string): Promise<SignedIn> {
  return signIn(phone, { from: address })
}

function activateFrom(address: string, invitee: SignedIn, inviter: SignedIn, env: Env): Promise<ApiResponse> {
  return api('PATCH', '/users/profile/update/', {
    token: invitee.access,
    body: { inviter_referral_code: inviter.user.referral_code },
    headers: { 'CF-Connecting-IP': address },
    env,
  })
}

const serverKey = { Authorization: `Bearer ${TEST_SERVER_KEYS.full.key}` }

async function rewardStates(invitee: SignedIn): Promise<string[]> {
  const rows = await database().query(`SELECT state FROM points_ledger WHERE invitee_id = $1 ORDER BY reason`, [invitee.user.id])
  return rows.map(row => row.state)
}

async function flagsOf(invitee: SignedIn): Promise<string[] | null> {
  const [row] = await database().query(`SELECT referral_flags FROM users WHERE id = $1`, [invitee.user.id])
  return row!.referral_flags
}

describe('farming signals', () => {
  it('record the client\'s network at sign-in as a keyed hash, never the address', async () => {
    const home = network()
    const me = await signInFrom(home.host(7))
    const rows = await database().query(`SELECT network_hash FROM user_networks WHERE user_id = $1`, [me.user.id])
    expect(rows).toHaveLength(1)
    expect(rows[0]!.network_hash).toMatch(/^[\w-]{43}$/)
    expect(JSON.stringify(rows)).not.toContain(home.host(7).split('.').slice(1, 3).join('.'))
  })

  it('rEFERRAL_SAME_NETWORK_HOURS flags an activation from the inviter\'s network, holds both rewards, and lists it for review', async () => {
    const rules = withSettings({ REFERRAL_SAME_NETWORK_HOURS: '24' })
    const shared = network()
    const inviter = await signInFrom(shared.host(1))
    const invitee = await signInFrom(network().host(1))
    expect((await activateFrom(shared.host(2), invitee, inviter, rules)).status).toBe(200)
    expect(await flagsOf(invitee)).toEqual(['same_network'])
    expect(await rewardStates(invitee)).toEqual(['pending', 'pending'])
    const inviteeProfile = (await api('GET', '/users/profile/', { token: invitee.access, env: rules })).body
    expect(inviteeProfile).toMatchObject({ points: 0, pending_points: 100 })

    const listed = await api('GET', '/server/v1/referrals/?status=flagged&limit=100', { headers: serverKey })
    expect(listed.status).toBe(200)
    expect(listed.body.referrals).toContainEqual({
      invitee_id: invitee.user.id,
      inviter_id: inviter.user.id,
      activated_at: expect.any(String),
      flags: ['same_network'],
      invitee_reward: { state: 'pending', points: 100, void_reason: null },
      inviter_reward: { state: 'pending', points: 200, void_reason: null },
    })
    expect((await api('POST', `/server/v1/users/${invitee.user.id}/referral/qualify/`, {
      headers: {
        ...serverKey,
        'Idempotency-Key': crypto.randomUUID(),
      },
    })).status).toBe(200)
    const after = await api('GET', '/server/v1/referrals/?status=flagged&limit=100', { headers: serverKey })
    expect(after.body.referrals.map((r: { invitee_id: string }) => r.invitee_id)).not.toContain(invitee.user.id)
    expect(await rewardStates(invitee)).toEqual(['paid', 'paid'])
  })

  it('leave an activation from another network alone', async () => {
    const rules = withSettings({ REFERRAL_SAME_NETWORK_HOURS: '24' })
    const inviter = await signInFrom(network().host(1))
    const invitee = await signInFrom(network().host(1))
    expect((await activateFrom(network().host(1), invitee, inviter, rules)).status).toBe(200)
    expect(await flagsOf(invitee)).toBeNull()
    expect(await rewardStates(invitee)).toEqual(['paid', 'paid'])
  })

  it('rEFERRAL_BURST flags activations of one code from one network past the hour\'s limit, and only those', async () => {
    const rules = withSettings({ REFERRAL_BURST: '2' })
    const inviter = await signInFrom(network().host(1))
    const farm = network()
    const invitees = [await signInFrom(network().host(1)), await signInFrom(network().host(1)), await signInFrom(network().host(1))]
    for (const [i, invitee] of invitees.entries())
      expect((await activateFrom(farm.host(i + 10), invitee, inviter, rules)).status).toBe(200)
    const elsewhere = await signInFrom(network().host(1))
    expect((await activateFrom(network().host(9), elsewhere, inviter, rules)).status).toBe(200)
    expect(await Promise.all([...invitees, elsewhere].map(flagsOf))).toEqual([
      null,
      null,
      ['burst'],
      null,
    ])
    expect(await rewardStates(invitees[2]!)).toEqual(['pending', 'pending'])
    expect(await rewardStates(elsewhere)).toEqual(['paid', 'paid'])
  })

  it('rEFERRAL_BURST counts 20 parallel activations from one network exactly: 5 paid, 15 flagged', { timeout: 60_000 }, async () => {
    const rules = withSettings({ REFERRAL_BURST: '5' })
    const inviter = await signInFrom(network().host(1))
    const invitees = await Promise.all(Array.from({ length: 20 }, () => signInFrom(network().host(1))))
    const farm = network()
    const results = await Promise.all(invitees.map((invitee, i) => activateFrom(farm.host(i + 1), invitee, inviter, rules)))
    expect(results.map(result => result.status)).toEqual(Array.from({ length: 20 }).fill(200))
    const flags = await Promise.all(invitees.map(flagsOf))
    expect(flags.filter(flag => flag === null)).toHaveLength(5)
    expect(flags.filter(flag => flag?.[0] === 'burst')).toHaveLength(15)
  })

  it('rEFERRAL_SAME_RANGE_DIGITS flags invitee and inviter numbers that share the prefix, and not others', async () => {
    const rules = withSettings({ REFERRAL_SAME_RANGE_DIGITS: '3' })
    const inviter = await signInFrom(network().host(1))
    const neighbour = await signInFrom(network().host(1))
    expect((await activateFrom(network().host(1), neighbour, inviter, rules)).status).toBe(200)
    expect(await flagsOf(neighbour)).toEqual(['same_number_range'])
    const stranger = await signInFrom(network().host(1), phoneInAnotherRange())
    expect((await activateFrom(network().host(1), stranger, inviter, rules)).status).toBe(200)
    expect(await flagsOf(stranger)).toBeNull()
    expect(await rewardStates(stranger)).toEqual(['paid', 'paid'])
  })

  it('rEFERRAL_FLAGGED=block refuses a flagged activation with 409 referral_flagged and writes nothing', async () => {
    const rules = withSettings({ REFERRAL_SAME_NETWORK_HOURS: '24', REFERRAL_FLAGGED: 'block' })
    const shared = network()
    const inviter = await signInFrom(shared.host(1))
    const invitee = await signInFrom(network().host(1))
    const refused = await activateFrom(shared.host(3), invitee, inviter, rules)
    expect(refused.status).toBe(409)
    expect(refused.body.code).toBe('referral_flagged')
    expect(refused.body.errors).toEqual([
      { path: 'inviter_referral_code', message: 'Not accepted for review reasons' },
    ])
    expect(await rewardStates(invitee)).toEqual([])
    expect(await flagsOf(invitee)).toBeNull()
    const [row] = await database().query(`
      SELECT u.inviter_id, u.points, (SELECT count(*)::int FROM user_networks WHERE user_id = u.id) AS networks,
        (SELECT points FROM users WHERE id = $2) AS inviter_points,
        (SELECT code_activations FROM users WHERE id = $2) AS code_activations
      FROM users u WHERE u.id = $1`, [invitee.user.id, inviter.user.id])
    expect(row).toEqual({
      inviter_id: null,
      points: 0,
      networks: 1,
      inviter_points: 0,
      code_activations: null,
    })
  })

  it('rEFERRAL_FLAGGED=allow pays a flagged activation at once but keeps its flags', async () => {
    const rules = withSettings({ REFERRAL_SAME_NETWORK_HOURS: '24', REFERRAL_FLAGGED: 'allow' })
    const shared = network()
    const inviter = await signInFrom(shared.host(1))
    const invitee = await signInFrom(network().host(1))
    expect((await activateFrom(shared.host(4), invitee, inviter, rules)).status).toBe(200)
    expect(await flagsOf(invitee)).toEqual(['same_network'])
    expect(await rewardStates(invitee)).toEqual(['paid', 'paid'])
  })

  it('the flagged list pages newest first, each waiting referral once', async () => {
    const rules = withSettings({ REFERRAL_SAME_NETWORK_HOURS: '24' })
    const shared = network()
    const inviter = await signInFrom(shared.host(1))
    const invitees: SignedIn[] = []
    for (let i = 0; i < 3; i++) {
      const invitee = await signInFrom(network().host(1))
      expect((await activateFrom(shared.host(i + 2), invitee, inviter, rules)).status).toBe(200)
      invitees.push(invitee)
    }
    const seen: string[] = []
    let cursor = ''
    do {
      const page = await api('GET', `/server/v1/referrals/?status=flagged&limit=1&cursor=${cursor}`, { headers: serverKey })
      expect(page.status, JSON.stringify(page.body)).toBe(200)
      expect(page.body.referrals.length).toBeLessThanOrEqual(1)
      seen.push(...page.body.referrals.map((r: { invitee_id: string }) => r.invitee_id))
      cursor = page.body.next_cursor ?? ''
    } while (cursor)
    expect(seen.filter(id => invitees.some(invitee => invitee.user.id === id))).toEqual(invitees.map(invitee => invitee.user.id).reverse())
    expect(new Set(seen).size).toBe(seen.length)
  })

  it('the flagged list refuses a missing status, a foreign cursor and a user token', async () => {
    const invitee = await signInFrom(network().host(1))
    expect((await api('GET', '/server/v1/referrals/', { headers: serverKey })).status).toBe(400)
    const badCursor = await api('GET', '/server/v1/referrals/?status=flagged&cursor=bm9wZQ', { headers: serverKey })
    expect(badCursor.status).toBe(400)
    expect(badCursor.body.errors[0].path).toBe('cursor')
    expect((await api('GET', '/server/v1/referrals/?status=flagged', { token: invitee.access })).status).toBe(401)
  })
})
