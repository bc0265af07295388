// A counter per fixed time window (an hour, a UTC day): the rate limit kept by the RateLimiter Durable Object.

export interface FixedWindowState {
  windowStart: number
  count: number
}

export type HitOutcome
  = | { allowed: true, remaining: number }
    | { allowed: false, retryAfterSeconds: number }

export function hit(state: FixedWindowState | undefined, now: number, limit: number, windowSeconds: number): { state: FixedWindowState, outcome: HitOutcome } {
  const windowMs = windowSeconds * 1000
  const windowStart = now - (now % windowMs)
  const current = state?.windowStart === windowStart
    ? state
    : { windowStart, count: 0 }
  if (current.count >= limit) {
    const retryAfterSeconds = Math.max(1, Math.ceil((windowStart + windowMs - now) / 1000))
    return {
      state: current,
      outcome: { allowed: false, retryAfterSeconds },
    }
  }
  const next = { windowStart, count: current.count + 1 }
  return {
    state: next,
    outcome: { allowed: true, remaining: limit - next.count },
  }
}

/** Gives back a hit whose work did not happen (an SMS that failed to send), if its window is still current. */
export function refund(state: FixedWindowState | undefined, now: number, windowSeconds: number): FixedWindowState | undefined {
  const windowMs = windowSeconds * 1000
  if (!state || state.windowStart !== now - (now % windowMs) || state.count === 0)
    return state
  return { windowStart: state.windowStart, count: state.count - 1 }
}
