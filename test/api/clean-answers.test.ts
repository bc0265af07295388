// Item 9 of the second abuse-resistance round: every answer is a clean, deliberate one — never a 500 for what the
// client sent, never a cached token, never a form saved from a body that was not a form.
import { describe, expect, it } from 'vitest'
import { api, lastCodeSentTo, signIn, uniquePhone } from './helpers'
import { WebClient } from './web-helpers'

function expectNoStore(response: { headers: Headers }, what: string) {
  expect(response.headers.get('Cache-Control'), what).toBe('no-store')
  expect(response.headers.get('Pragma'), what).toBe('no-cache')
}

describe('answers carrying tokens or personal data are never cached', () => {
  it('the token answers of verify_sms and refresh say no-store (RFC 6749 §5.1)', async () => {
    const phone = uniquePhone()
    await api('POST', '/users/auth/send_sms/', {
      body: { phone_number: phone },
    })
    const verified = await api('POST', '/users/auth/verify_sms/', {
      body: { phone_number: phone, sms_code: await lastCodeSentTo(phone) },
    })
    expect(verified.status).toBe(200)
    expectNoStore(verified, 'verify_sms')
    const refreshed = await api('POST', '/users/auth/refresh/', {
      body: { refresh: verified.body.refresh },
    })
    expect(refreshed.status).toBe(200)
    expectNoStore(refreshed, 'refresh')
  })

  it('the profile, its referrals and a profile update say no-store, and so does a refusal', async () => {
    const me = await signIn()
    const answers = {
      'profile': await api('GET', '/users/profile/', { token: me.access }),
      'referrals': await api('GET', '/users/profile/referrals/', { token: me.access }),
      'update': await api('PATCH', '/users/profile/update/', {
        token: me.access,
        body: { first_name: 'Ivan' },
      }),
      'a 401': await api('GET', '/users/profile/'),
    }
    for (const [what, response] of Object.entries(answers))
      expectNoStore(response, what)
  })

  it('the web pages that show a number or a profile say no-store', async () => {
    const phone = uniquePhone()
    const client = new WebClient()
    expectNoStore(await client.get('/users/web/auth/send_sms/'), 'the send-code page')
    await client.post('/users/web/auth/send_sms/', { phone_number: phone })
    const codePage = await client.get('/users/web/auth/verify_sms/')
    expect(codePage.status).toBe(200)
    expectNoStore(codePage, 'the code page, which shows the number')
    await client.post('/users/web/auth/verify_sms/', { sms_code: await lastCodeSentTo(phone) })
    const profilePage = await client.get('/users/web/profile/')
    expect(profilePage.status).toBe(200)
    expectNoStore(profilePage, 'the profile page')
  })

  it('the public signing keys stay cacheable: they are the same for everyone', async () => {
    const keys = await api('GET', '/.well-known/jwks.json')
    expect(keys.headers.get('Cache-Control')).toBe('public, max-age=300')
    expect(keys.headers.get('Pragma')).toBeNull()
  })
})
