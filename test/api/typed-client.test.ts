import type { AppType } from '../../src/app'
import { exports } from 'cloudflare:workers'
import { hc } from 'hono/client'
import { describe, expect, it } from 'vitest'
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
})
