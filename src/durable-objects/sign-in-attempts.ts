import type { AttemptOutcome, SendOutcome, SendPolicy, SignInAttemptsState } from '../domain/sign-in-attempts'
import { DurableObject } from 'cloudflare:workers'
import { admitAttempt, cancelSend, emptyState, forgetAt, refundAttempt, releaseCode, startSend, useCode } from '../domain/sign-in-attempts'

const STATE_KEY = 'state'

/**
 * One instance per phone number. A Durable Object runs one event at a time and its storage is strongly consistent,
 * so every send, guess and use of a number's code is counted exactly, however many edges they arrive at at once —
 * what KV (no atomic increment, eventually consistent) cannot do.
 */
export class SignInAttempts extends DurableObject<Env> {
  async startSend(policy: SendPolicy): Promise<SendOutcome> {
    return this.update(state => startSend(state, Date.now(), policy, crypto.randomUUID()))
  }

  async cancelSend(generation: string): Promise<void> {
    return this.update(state => cancelSend(state, generation))
  }

  async admitAttempt(maxAttempts: number): Promise<AttemptOutcome> {
    return this.update(state => admitAttempt(state, Date.now(), maxAttempts))
  }

  async refundAttempt(generation: string): Promise<void> {
    return this.update(state => refundAttempt(state, generation))
  }

  async useCode(generation: string): Promise<boolean> {
    return this.update(state => useCode(state, generation))
  }

  async releaseCode(generation: string): Promise<void> {
    return this.update(state => releaseCode(state, generation))
  }

  override async alarm(): Promise<void> {
    await this.ctx.storage.deleteAll()
  }

  /** Synchronous storage between load and save: no other request for this number can interleave. */
  private async update<T>(change: (state: SignInAttemptsState) => T): Promise<T> {
    const state = this.ctx.storage.kv.get<SignInAttemptsState>(STATE_KEY) ?? emptyState()
    const result = change(state)
    this.ctx.storage.kv.put(STATE_KEY, state)
    const forgetTime = forgetAt(state)
    if (forgetTime !== null)
      await this.ctx.storage.setAlarm(forgetTime)
    return result
  }
}
