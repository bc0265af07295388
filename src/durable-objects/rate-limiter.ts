import type { FixedWindowState, HitOutcome } from '../domain/fixed-window'
import { DurableObject } from 'cloudflare:workers'
import { hit, refund } from '../domain/fixed-window'

const STATE_KEY = 'window'

/** One instance per limited key (a client IP's sends, a country's SMS for the day): an exact, shared counter. */
export class RateLimiter extends DurableObject<Env> {
  async hit(limit: number, windowSeconds: number): Promise<HitOutcome> {
    const { state, outcome } = hit(this.load(), Date.now(), limit, windowSeconds)
    // A refused hit changes nothing; the window's clean-up alarm is set once, by its first hit.
    if (outcome.allowed) {
      this.ctx.storage.kv.put(STATE_KEY, state)
      if (state.count === 1)
        await this.ctx.storage.setAlarm(state.windowStart + windowSeconds * 1000)
    }
    return outcome
  }

  async refund(windowSeconds: number): Promise<void> {
    const state = refund(this.load(), Date.now(), windowSeconds)
    if (state)
      this.ctx.storage.kv.put(STATE_KEY, state)
  }

  /** The health check's call: answering proves Durable Objects run, and it reads and writes nothing. */
  ping(): void {}

  override async alarm(): Promise<void> {
    await this.ctx.storage.deleteAll()
  }

  private load(): FixedWindowState | undefined {
    return this.ctx.storage.kv.get<FixedWindowState>(STATE_KEY)
  }
}
