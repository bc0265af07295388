// The per-number rules as pure functions: the cases a test through HTTP cannot pin to the millisecond.
import { describe, expect, it } from 'vitest'
import { emptyState, guess, startSend } from '../../src/domain/sign-in-attempts'

const policy = {
  resendSeconds: 60,
  sendsPerHour: 5,
  sendsPerHourPerClient: 3,
  codeTtlSeconds: 300,
}

function stateWithCode(now: number) {
  const state = emptyState()
  expect(startSend(state, now, policy, { id: 'v1', hash: 'right', client: 'c1' })).toEqual({ allowed: true, registered: false })
  return state
}

describe('a number\'s codes', () => {
  it('refuse the right code one millisecond after it expires, without counting the guess', () => {
    const state = stateWithCode(0)
    expect(guess(state, 300_000, 5, { hash: 'right' })).toEqual({ outcome: 'no_code' })
    expect(guess(state, 300_000, 5, { verificationId: 'v1', hash: 'right' })).toEqual({ outcome: 'no_code' })
    expect(state.verifications[0]).toMatchObject({ attempts: 0, anonymousAttempts: 0, used: false })
  })

  it('accept the right code until the last millisecond, once', () => {
    const state = stateWithCode(0)
    expect(guess(state, 299_999, 5, { verificationId: 'v1', hash: 'right' })).toEqual({ outcome: 'signed_in', verificationId: 'v1' })
    expect(guess(state, 299_999, 5, { verificationId: 'v1', hash: 'right' })).toEqual({ outcome: 'no_code' })
    expect(state.registered).toBe(true)
  })

  it('keep the resend cooldown in seconds', () => {
    const state = stateWithCode(0)
    expect(startSend(state, 59_999, policy, { id: 'v2', hash: 'x', client: 'c2' })).toEqual({ allowed: false, reason: 'resend_cooldown', retryAfterSeconds: 1 })
    expect(startSend(state, 60_000, policy, { id: 'v2', hash: 'x', client: 'c2' })).toEqual({ allowed: true, registered: false })
  })
})
