import { describe, expect, it } from 'vitest'
import { api, countRoundTrips } from './helpers'

describe('gET /health', () => {
  it('answers 200 when the database and the Durable Objects answer, with no auth, no caching and no details', async () => {
    const { result, roundTrips } = await countRoundTrips(() => api('GET', '/health'))
    expect(result.status).toBe(200)
    expect(result.headers.get('Cache-Control')).toBe('no-store')
    expect(result.body).toEqual({
      status: 'ok',
      checks: { database: 'ok', durable_objects: 'ok' },
    })
    expect(roundTrips).toBe(1)
  })

  it('answers on /health/ as well', async () => {
    expect((await api('GET', '/health/')).status).toBe(200)
  })
})
