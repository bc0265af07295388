// The referral code generator is a dependency of signInUser, so collisions, which random codes make astronomically
// rare, can be forced: the injected generator hands out codes already taken, and the real one afterwards.
import { env } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { loadConfig } from '../../src/config'
import { createDatabase } from '../../src/db/client'
import { signInUser } from '../../src/db/sign-in'
import { randomToken } from '../../src/domain/random'
import { generateReferralCode } from '../../src/domain/referral-code'
import { database, signIn, uniquePhone } from './helpers'

const db = createDatabase(loadConfig(env))
function newSession() {
  return {
    familyId: crypto.randomUUID(),
    refreshTokenHash: randomToken(32),
    expiresAt: new Date(Date.now() + 3_600_000),
    deviceLabel: null,
    rewardKey: randomToken(32),
  }
}

/** Hands out `forced` codes first, then real random ones; counts every call. */
function scriptedGenerator(forced: string[]) {
  const generator = () => generator.calls++ < forced.length
    ? forced[generator.calls - 1]!
    : generateReferralCode()
  generator.calls = 0
  return generator
}

describe('referral code generation under forced collisions', () => {
  it('retries with a new code when the first ones are taken', async () => {
    const [a, b] = [await signIn(), await signIn()]
    const generator = scriptedGenerator([a.user.referral_code, b.user.referral_code])
    const user = await signInUser(db, uniquePhone(), newSession(), generator, false)
    expect(generator.calls).toBe(3)
    expect([a.user.referral_code, b.user.referral_code]).not.toContain(user.referral_code)
  })

  it('20 concurrent sign-ins all offered the same first code end with 20 distinct codes, each within the attempt limit', async () => {
    const existing = await signIn()
    const shared = generateReferralCode()
    const generators = Array.from({ length: 20 }, () => scriptedGenerator([shared, existing.user.referral_code]))
    const users = await Promise.all(generators.map(generator => signInUser(db, uniquePhone(), newSession(), generator, false)))

    const codes = new Set(users.map(user => user.referral_code))
    expect(codes.size).toBe(20)
    expect(codes.has(existing.user.referral_code)).toBe(false)
    expect(users.filter(user => user.referral_code === shared)).toHaveLength(1)
    expect(Math.max(...generators.map(generator => generator.calls))).toBeLessThanOrEqual(3)
    const [duplicates] = await database().query('SELECT count(*)::int AS n FROM (SELECT referral_code FROM users GROUP BY 1 HAVING count(*) > 1) d')
    expect(duplicates!.n).toBe(0)
  })

  it('gives up after five attempts when every code collides, and stores nothing', async () => {
    const taken = (await signIn()).user.referral_code
    const generator = scriptedGenerator(Array.from<string>({ length: 100 }).fill(taken))
    const phone = uniquePhone()
    await expect(signInUser(db, phone, newSession(), generator, false)).rejects.toThrow()
    expect(generator.calls).toBe(5)
    const [row] = await database().query('SELECT count(*)::int AS users FROM users WHERE phone_number = $1', [phone])
    expect(row!.users).toBe(0)
  })
})
