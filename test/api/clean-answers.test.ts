// Item 9 of the second abuse-resistance round: every answer is a clean, deliberate one — never a 500 for what the
// client sent, never a cached token, never a form saved from a body that was not a form.
import { describe, expect, it } from 'vitest'
import { api, lastCodeSentTo, signIn, uniquePhone } from './helpers'
import { textOf, WebClient, webSignIn } from './web-helpers'

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

describe('names cannot carry invisible formatting characters', () => {
  // Each can make a name in the inviter's referral list read as something it is not.
  const INVISIBLE = {
    'U+202E right-to-left override': '\u202E',
    'U+202A left-to-right embedding': '\u202A',
    'U+202D left-to-right override': '\u202D',
    'U+2066 left-to-right isolate': '\u2066',
    'U+2067 right-to-left isolate': '\u2067',
    'U+2069 pop directional isolate': '\u2069',
    'U+200B zero-width space': '\u200B',
    'U+200D zero-width joiner': '\u200D',
    'U+200F right-to-left mark': '\u200F',
    'U+2060 word joiner': '\u2060',
    'U+FEFF zero-width no-break space': '\uFEFF',
    'U+061C Arabic letter mark': '\u061C',
  }

  it('refuses each in a first or last name over the API, naming the field, and changes nothing', async () => {
    const me = await signIn()
    await api('PATCH', '/users/profile/update/', {
      token: me.access,
      body: { first_name: 'Anna', last_name: 'Smirnova' },
    })
    for (const [what, character] of Object.entries(INVISIBLE)) {
      for (const field of ['first_name', 'last_name']) {
        const response = await api('PATCH', '/users/profile/update/', {
          token: me.access,
          body: { [field]: `Anna${character}nimda` },
        })
        expect(response.status, `${what} in ${field}`).toBe(400)
        expect(response.body.code, `${what} in ${field}`).toBe('validation_failed')
        expect(response.body.errors, `${what} in ${field}`).toEqual([
          {
            path: field,
            message: expect.stringContaining('Invisible formatting characters'),
          },
        ])
      }
    }
    expect((await api('GET', '/users/profile/', { token: me.access })).body).toMatchObject({ first_name: 'Anna', last_name: 'Smirnova' })
  })

  it('refuses them in the web form too, next to the field, saving nothing', async () => {
    const client = await webSignIn(uniquePhone())
    await client.post('/users/web/profile/', { first_name: 'Anna', last_name: 'Smirnova' })
    const refused = await client.post('/users/web/profile/', { first_name: 'Anna\u202Etsinimda', last_name: 'Smirnova' })
    expect(refused.status).toBe(400)
    expect(textOf(refused.html, 'first-name-error')).toBeTruthy()
    const { body } = await api('GET', '/users/profile/', {
      token: client.cookie('access_token'),
    })
    expect(body.first_name).toBe('Anna')
  })

  it('accepts names in every script, with accents, apostrophes, hyphens and spaces', async () => {
    const me = await signIn()
    for (const [first, last] of [
      ['محمد', 'عبد الله'],
      ['שרה', 'כהן'],
      ['José', 'O’Brien-Smith'],
      ['Jose\u0301', 'D\'Angelo'],
      ['Анна-Мария', 'Петрова'],
      ['太郎', '山田'],
      ['देवनागरी', 'नाम'],
    ]) {
      const response = await api('PATCH', '/users/profile/update/', {
        token: me.access,
        body: { first_name: first, last_name: last },
      })
      expect(response.status, `${first} ${last}`).toBe(200)
      expect(response.body, `${first} ${last}`).toMatchObject({ first_name: first, last_name: last })
    }
  })
})
