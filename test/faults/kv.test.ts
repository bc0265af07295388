import { afterEach, describe, expect, it } from 'vitest'
import { api } from '../api/helpers'
import { clearFaults, failKv } from './faults'

afterEach(clearFaults)

// KV no longer holds sign-in codes (the number's Durable Object does); it is still probed by /health.
describe('kV failing', () => {
  it('the health endpoint answers 503, KV unavailable, database ok, without details', async () => {
    await failKv(['get'])
    const response = await api('GET', '/health/')
    expect(response.status).toBe(503)
    expect(response.headers.get('Retry-After')).toBe('5')
    expect(response.headers.get('Cache-Control')).toBe('no-store')
    expect(response.body).toEqual({
      status: 'unavailable',
      checks: { database: 'ok', kv: 'unavailable' },
    })
  })
})
