import type { Guess, GuessBudget, GuessOutcome, NewCode, SendOutcome, SendPolicy, SignInAttemptsState } from '../domain/sign-in-attempts'
import { DurableObject } from 'cloudflare:workers'
import { afterForgetting, cancelSend, confirmProviderCode, emptyState, forgetAt, guess, releaseCode, setProviderReference, startSend, uncountGuess } from '../domain/sign-in-attempts'

const STATE_KEY = 'state'

/**
 * One instance per phone number. A Durable Object runs one event at a time and its storage is strongly consistent,
 * so every send, guess and use of a number's codes is counted exactly, however many edges they arrive at at once,
 * and a code just sent is always there to be checked — what KV (no atomic increment, eventually consistent between
 * locations) cannot do. Each sign-in step is one call to it.
 */
export class SignInAttempts extends DurableObject<Env> {
  async startSend(policy: SendPolicy, code: NewCode): Promise<SendOutcome> {
    return this.update(state => startSend(state, Date.now(), policy, code))
  }

  async cancelSend(verificationId: string): Promise<void> {
    return this.update(state => cancelSend(state, verificationId))
  }

  async guess(maxAttempts: number, attempt: Guess): Promise<GuessOutcome> {
    return this.update(state => guess(state, Date.now(), maxAttempts, attempt))
  }

  async confirmProviderCode(verificationId: string, hash: string): Promise<GuessOutcome> {
    return this.update(state => confirmProviderCode(state, Date.now(), verificationId, hash))
  }

  async setProviderReference(verificationId: string, reference: string): Promise<void> {
    return this.update(state => setProviderReference(state, verificationId, reference))
  }

  async uncountGuess(verificationId: string, budget: GuessBudget): Promise<void> {
    return this.update(state => uncountGuess(state, verificationId, budget))
  }

  async releaseCode(verificationId: string): Promise<void> {
    return this.update(state => releaseCode(state, verificationId))
  }

  override async alarm(): Promise<void> {
    const kept = afterForgetting(this.load())
    if (kept)
      this.ctx.storage.kv.put(STATE_KEY, kept)
    else
      await this.ctx.storage.deleteAll()
  }

  /**
   * State written before codes moved here (one `code`, no verifications) is not carried over: what is lost is at
   * most an hour of a number's sends and a code that is asked for again.
   */
  private load(): SignInAttemptsState | undefined {
    const stored = this.ctx.storage.kv.get<SignInAttemptsState>(STATE_KEY)
    return Array.isArray(stored?.verifications)
      ? stored
      : undefined
  }

  /** Synchronous storage between load and save: no other request for this number can interleave. */
  private async update<T>(change: (state: SignInAttemptsState) => T): Promise<T> {
    const state = this.load() ?? emptyState()
    const result = change(state)
    // The alarm is moved only when the state now lives longer than it allows: most calls write no alarm at all.
    const forgetTime = forgetAt(state)
    const moveAlarm = forgetTime !== null && forgetTime > (state.alarmAt ?? 0)
    if (moveAlarm)
      state.alarmAt = forgetTime
    this.ctx.storage.kv.put(STATE_KEY, state)
    if (moveAlarm)
      await this.ctx.storage.setAlarm(forgetTime)
    return result
  }
}
