import type { AppType } from '../../src/app'
import { exports } from 'cloudflare:workers'
import { hc } from 'hono/client'
import { describe, expect, it } from 'vitest'
import { TEST_SERVER_KEYS } from '../support/server-keys'
import { BASE_URL, signIn } from './helpers'

// The example of docs/api.md ("Typed clients"): a TypeScript client typed from the routes, with no generated code.
const client = hc<AppType>(BASE_URL, {
  fetch: (input: RequestInfo | URL, init?: RequestInit) => exports.default.fetch(new Request(input, init)),
})

describe('typed client (hono/client)', () => {
  it('calls the API with typed requests and responses', async () => {
    const me = await signIn()
    const response = await client.users.profile.index.$get({}, {
      headers: { Authorization: `Bearer ${me.access}` },
    })
    expect(response.status).toBe(200)
    if (response.status === 200) {
      const profile = await response.json()
      expect(profile.referral_code).toBe(me.user.referral_code)
    }

    const refused = await client.users.auth.send_sms.index.$post({
      json: { phone_number: 'not a phone' },
    })
    expect(refused.status).toBe(400)
  })

  it('calls the server API with typed requests and responses', async () => {
    const me = await signIn()
    const headers = { Authorization: `Bearer ${TEST_SERVER_KEYS.full.key}` }
    const credited = await client.server.v1.users[':id'].points.transactions.index.$post({
      param: { id: me.user.id },
      header: {
        'idempotency-key': crypto.randomUUID(),
      },
      json: { amount: 25, reason: 'adjustment', reference: 'typed' },
    }, { headers })
    expect(credited.status).toBe(200)
    const user = await client.server.v1.users[':id'].index.$get({
      param: { id: me.user.id },
    }, { headers })
    expect(user.status).toBe(200)
    if (user.status === 200)
      expect((await user.json()).points).toBe(25)
  })
})
