// The per-number rules as pure functions: the cases a test through HTTP cannot pin to the millisecond.
import { describe, expect, it } from 'vitest'
import { confirmProviderCode, emptyState, guess, releaseCode, setProviderReference, startSend, uncountGuess } from '../../src/domain/sign-in-attempts'

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

describe('a code the provider made (Twilio Verify)', () => {
  function stateWithProviderCode(now: number) {
    const state = emptyState()
    expect(startSend(state, now, policy, { id: 'v1', client: 'c1' })).toEqual({ allowed: true, registered: false })
    return state
  }

  it('counts each guess before the provider is asked, and refuses guesses past the budget without asking', () => {
    const state = stateWithProviderCode(0)
    for (let left = 4; left >= 0; left--) {
      expect(guess(state, 1, 5, { hash: 'any' })).toEqual({
        outcome: 'ask_provider',
        verificationId: 'v1',
        attemptsLeft: left,
        providerChecks: 5 - left,
      })
    }
    expect(guess(state, 1, 5, { hash: 'any' })).toEqual({ outcome: 'attempts_exhausted' })
  })

  it('is used once, by the first approval, and a use given back is checked here against the approved code', () => {
    const state = stateWithProviderCode(0)
    expect(confirmProviderCode(state, 1, 'v1', 'right')).toEqual({ outcome: 'signed_in', verificationId: 'v1' })
    expect(confirmProviderCode(state, 1, 'v1', 'right')).toEqual({ outcome: 'no_code' })
    releaseCode(state, 'v1')
    expect(guess(state, 2, 5, { verificationId: 'v1', hash: 'wrong' })).toEqual({ outcome: 'wrong_code', attemptsLeft: 4 })
    expect(guess(state, 2, 5, { verificationId: 'v1', hash: 'right' })).toEqual({ outcome: 'signed_in', verificationId: 'v1' })
  })

  it('is not approved after it expired here, whatever the provider said', () => {
    const state = stateWithProviderCode(0)
    expect(confirmProviderCode(state, 300_000, 'v1', 'right')).toEqual({ outcome: 'no_code' })
  })

  it('counts the provider\'s checks over every send it answered with the same code', () => {
    const state = stateWithProviderCode(0)
    expect(startSend(state, 60_000, policy, { id: 'v2', client: 'c2' })).toEqual({ allowed: true, registered: false })
    setProviderReference(state, 'v1', 'VE1')
    setProviderReference(state, 'v2', 'VE1')
    guess(state, 60_001, 5, { verificationId: 'v1', hash: 'any' })
    expect(guess(state, 60_001, 5, { verificationId: 'v2', hash: 'any' })).toMatchObject({ attemptsLeft: 4, providerChecks: 2 })
  })

  it('gives a guess back when the provider could not be asked, from the budget it was drawn on', () => {
    const state = stateWithProviderCode(0)
    guess(state, 1, 5, { verificationId: 'v1', hash: 'any' })
    guess(state, 1, 5, { hash: 'any' })
    uncountGuess(state, 'v1', 'attempts')
    expect(state.verifications[0]).toMatchObject({ attempts: 0, anonymousAttempts: 1 })
  })
})
