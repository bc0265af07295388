// Item 9 of the second abuse-resistance round: every answer is a clean, deliberate one — never a 500 for what the
// client sent, never a cached token, never a form saved from a body that was not a form.
import { describe, expect, it } from 'vitest'
import { parseClientKey } from '../../src/domain/client-address'
import { api, BASE_URL, fetchWorker, lastCodeSentTo, sendSms, signIn, smsSentTo, uniquePhone, verifySms, withSettings } from './helpers'
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

describe('the client address (CF-Connecting-IP) is one IP address', () => {
  // The real production settings, minus what only tests have (the local SQL endpoint, fixed-code numbers): send_sms
  // needs no database, and every refusal below comes before any.
  const production = withSettings({ ENVIRONMENT: 'production', LOCAL_SQL_ENDPOINT: '', TEST_PHONE_NUMBERS: '' })

  /** send_sms with exactly this CF-Connecting-IP, or none at all. */
  async function sendFrom(address: string | undefined, env: Env, phone = uniquePhone()) {
    const headers = new Headers({ 'Content-Type': 'application/json' })
    if (address !== undefined)
      headers.set('CF-Connecting-IP', address)
    const response = await fetchWorker(new Request(`${BASE_URL}/users/auth/send_sms/`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ phone_number: phone }),
    }), env)
    return { status: response.status, body: await response.json<{ code?: string }>() }
  }

  it('keys IPv4 by the address, IPv6 by its /64 however it is written, and an IPv4-mapped address as the IPv4 one', () => {
    expect(parseClientKey('203.0.113.7')).toBe('203.0.113.7')
    expect(parseClientKey('0.0.0.0')).toBe('0.0.0.0')
    for (const spelling of [
      '2001:db8:0:0:1:2:3:4',
      '2001:DB8::1',
      '2001:0db8:0000:0000::abcd',
      '2001:db8::203.0.113.7',
    ])
      expect(parseClientKey(spelling), spelling).toBe('2001:db8:0:0::/64')
    expect(parseClientKey('::1')).toBe('0:0:0:0::/64')
    expect(parseClientKey('1:2:3:4:5:6:7::')).toBe('1:2:3:4::/64')
    for (const spelling of ['::ffff:203.0.113.7', '::FFFF:cb00:7107', '0:0:0:0:0:ffff:203.0.113.7'])
      expect(parseClientKey(spelling), spelling).toBe('203.0.113.7')
  })

  it('is not a list, a bracketed address, a port, a zone, a name or a near-miss', () => {
    for (const value of [
      '',
      'unknown',
      'localhost',
      ' 203.0.113.7',
      '203.0.113.7 ',
      '203.0.113.7, 198.51.100.1',
      '203.0.113.7:443',
      '[2001:db8::1]',
      '[2001:db8::1]:443',
      'fe80::1%eth0',
      '203.0.113',
      '203.0.113.256',
      '203.0.113.07',
      '2001:db8::1::2',
      '2001:db8:0:0:0:0:0:0:1',
      '2001:db8:0:0:0:0:1',
      '12345::1',
      ':1::',
      '1.2.3.4::',
      'g::1',
    ])
      expect(parseClientKey(value), JSON.stringify(value)).toBeNull()
  })

  it('in production, refuses a request with no address or an unparsable one (400 client_address_invalid), sending nothing', async () => {
    for (const address of [
      undefined,
      '',
      'unknown',
      '203.0.113.7, 198.51.100.1',
      '[2001:db8::1]',
      '203.0.113.7:443',
    ]) {
      const phone = uniquePhone()
      const response = await sendFrom(address, production, phone)
      expect(response.status, String(address)).toBe(400)
      expect(response.body.code, String(address)).toBe('client_address_invalid')
      expect(await smsSentTo(phone), String(address)).toHaveLength(0)
    }
    const verify = await verifySms(uniquePhone(), '123456', { env: production, from: 'unknown' })
    expect(verify.status).toBe(400)
    expect(verify.body.code).toBe('client_address_invalid')
  })

  it('in production, serves a client with a plain IPv4 or IPv6 address as before', async () => {
    expect((await sendFrom('203.0.113.7', production)).status).toBe(202)
    expect((await sendFrom('2001:db8:1234:5678::9', production)).status).toBe(202)
  })

  it('in development and tests, a missing address counts as this machine; an unparsable one is still refused', async () => {
    expect((await sendFrom(undefined, withSettings({ ENVIRONMENT: 'development' }))).status).toBe(202)
    expect((await sendFrom(undefined, withSettings({}))).status).toBe(202)
    expect((await sendFrom('not an address', withSettings({}))).body.code).toBe('client_address_invalid')
  })

  it('writing one IPv4 address as an IPv4-mapped IPv6 one does not buy a second quota', async () => {
    const limited = withSettings({ IP_SENDS_PER_HOUR: '1' })
    const address = `198.51.100.${Math.floor(Math.random() * 250) + 1}`
    expect((await sendSms(uniquePhone(), { env: limited, from: address })).status).toBe(202)
    expect((await sendSms(uniquePhone(), { env: limited, from: `::ffff:${address}` })).status).toBe(429)
  })
})
