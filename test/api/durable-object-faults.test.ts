import { env } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { api, smsSentTo, uniquePhone } from './helpers'

/**
 * workerd offers no switch to make a Durable Object unreachable, so the fault is injected at the binding: a
 * RateLimiter namespace whose every call rejects, as a stub's calls do when its object cannot be reached.
 */
function unreachable(): unknown {
  return new Proxy({}, {
    get: (_target, property) => property === 'then'
      ? undefined
      : () => property === 'get' || property === 'getByName' || property === 'newUniqueId'
          ? unreachable()
          : Promise.reject(new Error('Durable Object unreachable (injected fault)')),
  })
}

const withoutRateLimiter = {
  ...env,
  RATE_LIMITER: unreachable(),
} as Env

describe('durable Objects failing', () => {
  it('the health endpoint answers 503, Durable Objects unavailable, database ok, without details', async () => {
    const response = await api('GET', '/health/', { env: withoutRateLimiter })
    expect(response.status).toBe(503)
    expect(response.headers.get('Retry-After')).toBe('5')
    expect(response.headers.get('Cache-Control')).toBe('no-store')
    expect(response.body).toEqual({
      status: 'unavailable',
      checks: { database: 'ok', durable_objects: 'unavailable' },
    })
  })

  it('a code request answers 503 storage_unavailable, sends nothing, and leaves the number free to ask again', async () => {
    const phone = uniquePhone()
    const refused = await api('POST', '/users/auth/send_sms/', {
      body: { phone_number: phone },
      env: withoutRateLimiter,
    })
    expect(refused.status).toBe(503)
    expect(refused.body.code).toBe('storage_unavailable')
    expect(await smsSentTo(phone)).toEqual([])
    // The number's object had counted the send; it was given back, so no resend cooldown stands in the way.
    expect((await api('POST', '/users/auth/send_sms/', {
      body: { phone_number: phone },
    })).status).toBe(202)
  })
})
