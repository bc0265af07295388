import type { WebClient } from './web-helpers'
import { env } from 'cloudflare:test'
import { exports } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { loadConfig } from '../../src/config'
import { api, BASE_URL, fetchWorker, signIn, smsSentTo, uniquePhone } from './helpers'
import { webSignIn } from './web-helpers'

// The test Worker runs with CORS_ALLOWED_ORIGINS = "https://app.example.test, https://admin.example.test".
const APP = 'https://app.example.test'
const ADMIN = 'https://admin.example.test'

function corsHeaders(headers: Headers) {
  return [
    ...headers.keys(),
  ].filter(name => name.startsWith('access-control-'))
}

function preflight(path: string, origin: string, method = 'POST') {
  return api('OPTIONS', path, {
    headers: {
      'Origin': origin,
      'Access-Control-Request-Method': method,
      'Access-Control-Request-Headers': 'authorization, content-type',
    },
  })
}

describe('cORS', () => {
  it('answers an allowed origin with its own origin, the readable headers, and never credentials or "*"', async () => {
    for (const origin of [APP, ADMIN]) {
      const response = await api('GET', '/.well-known/jwks.json', {
        headers: { Origin: origin },
      })
      expect(response.status).toBe(200)
      expect(response.headers.get('Access-Control-Allow-Origin')).toBe(origin)
      expect(response.headers.get('Access-Control-Expose-Headers')).toBe('X-Request-Id,Retry-After,WWW-Authenticate')
      expect(response.headers.get('Access-Control-Allow-Credentials')).toBeNull()
      expect(response.headers.get('Vary')).toContain('Origin')
    }
  })

  it('lets an allowed origin read refusals too (401 and 413 problems carry the CORS headers)', async () => {
    const unauthenticated = await api('GET', '/users/profile/', {
      headers: { Origin: APP },
    })
    expect(unauthenticated.status).toBe(401)
    expect(unauthenticated.headers.get('Access-Control-Allow-Origin')).toBe(APP)
    const tooLarge = await api('POST', '/users/auth/send_sms/', {
      rawBody: JSON.stringify({
        phone_number: 'x'.repeat(20_000),
      }),
      headers: { 'Content-Type': 'application/json', 'Origin': APP },
    })
    expect(tooLarge.status).toBe(413)
    expect(tooLarge.headers.get('Access-Control-Allow-Origin')).toBe(APP)
  })

  it('sends no CORS header to an origin that is not on the list, nor to look-alikes of allowed ones', async () => {
    for (const origin of [
      'https://evil.example',
      'https://app.example.test.evil.example',
      'http://app.example.test',
      'https://app.example.test:8443',
      'null',
    ]) {
      const response = await api('GET', '/.well-known/jwks.json', {
        headers: { Origin: origin },
      })
      expect(response.status, origin).toBe(200)
      expect(corsHeaders(response.headers), origin).toEqual([])
      // Caches must still keep one origin's answer from another's.
      expect(response.headers.get('Vary'), origin).toContain('Origin')
    }
    const sameOrigin = await api('GET', '/.well-known/jwks.json')
    expect(corsHeaders(sameOrigin.headers)).toEqual([])
  })

  it('answers preflights from an allowed origin on every API route, with and without the trailing slash', async () => {
    for (const [path, method] of [
      ['/users/auth/send_sms/', 'POST'],
      ['/users/auth/verify_sms', 'POST'],
      ['/users/profile/update/', 'PATCH'],
      ['/users/profile', 'GET'],
      ['/users/sessions/0b9c3f4e-5d6a-4b7c-8d9e-0f1a2b3c4d5e/', 'DELETE'],
    ] as const) {
      const response = await preflight(path, APP, method)
      expect(response.status, path).toBe(204)
      expect(response.headers.get('Access-Control-Allow-Origin'), path).toBe(APP)
      expect(response.headers.get('Access-Control-Allow-Methods'), path).toBe('GET,POST,PATCH,DELETE')
      expect(response.headers.get('Access-Control-Allow-Headers'), path).toBe('Authorization,Content-Type,X-Request-Id')
      expect(response.headers.get('Access-Control-Max-Age'), path).toBe('600')
      expect(response.headers.get('Access-Control-Allow-Credentials'), path).toBeNull()
    }
  })

  it('refuses a preflight from an unknown origin: no CORS headers, so the browser blocks the call', async () => {
    const response = await preflight('/users/auth/send_sms/', 'https://evil.example')
    expect(response.status).toBe(404)
    expect(corsHeaders(response.headers)).toEqual([])
  })

  it('a full sign-in works from an allowed origin, each answer readable by the page', async () => {
    const me = await signIn()
    const profile = await api('GET', '/users/profile/', {
      token: me.access,
      headers: { Origin: APP },
    })
    expect(profile.status).toBe(200)
    expect(profile.headers.get('Access-Control-Allow-Origin')).toBe(APP)
  })

  it('sends no CORS headers at all when CORS_ALLOWED_ORIGINS is empty (the default)', async () => {
    const { default: worker } = await import('../../src/index')
    const noCorsEnv = { ...env, CORS_ALLOWED_ORIGINS: '' }
    const response = await worker.fetch(new Request(`${BASE_URL}/.well-known/jwks.json`, {
      headers: { Origin: APP },
    }), noCorsEnv)
    expect(response.status).toBe(200)
    expect(corsHeaders(response.headers)).toEqual([])
    expect(response.headers.get('Vary')).toBeNull()
    const refusedPreflight = await worker.fetch(new Request(`${BASE_URL}/users/auth/send_sms/`, {
      method: 'OPTIONS',
      headers: { 'Origin': APP, 'Access-Control-Request-Method': 'POST' },
    }), noCorsEnv)
    expect(refusedPreflight.status).toBe(404)
    expect(corsHeaders(refusedPreflight.headers)).toEqual([])
  })

  it('the configuration refuses "*" and anything that is not an exact origin', () => {
    for (const value of [
      '*',
      'https://*.example.com',
      'https://app.example.com/',
      'https://app.example.com/path',
      'app.example.com',
      'ftp://app.example.com',
    ]) {
      expect(() => loadConfig({ ...env, CORS_ALLOWED_ORIGINS: value }), value).toThrow(/CORS_ALLOWED_ORIGINS: .*not an exact origin/)
    }
    expect(loadConfig({ ...env, CORS_ALLOWED_ORIGINS: ' https://a.example , http://localhost:5173 ' }).CORS_ALLOWED_ORIGINS).toEqual([
      'https://a.example',
      'http://localhost:5173',
    ])
  })
})

describe('request body size limit (16 KB)', () => {
  const MAX_BYTES = 16 * 1024
  /** A JSON body of exactly `bytes` bytes whose phone number is nonsense, so an accepted body meets validation. */
  const bodyOf = (bytes: number) => {
    const empty = JSON.stringify({ phone_number: '' })
    return JSON.stringify({
      phone_number: 'x'.repeat(bytes - empty.length),
    })
  }

  it('reads a body of exactly 16 KB (and judges its content), and refuses one byte more with 413', async () => {
    const atLimit = await api('POST', '/users/auth/send_sms/', {
      rawBody: bodyOf(MAX_BYTES),
      headers: { 'Content-Type': 'application/json' },
    })
    expect(atLimit.status).toBe(400)
    expect(atLimit.body.code).toBe('validation_failed')
    const over = await api('POST', '/users/auth/send_sms/', {
      rawBody: bodyOf(MAX_BYTES + 1),
      headers: { 'Content-Type': 'application/json' },
    })
    expect(over.status).toBe(413)
    expect(over.headers.get('Content-Type')).toBe('application/problem+json')
    expect(over.body).toMatchObject({
      code: 'payload_too_large',
      request_id: over.headers.get('X-Request-Id'),
    })
  })

  it('also refuses an oversized body sent without Content-Length (streamed)', async () => {
    const bytes = new TextEncoder().encode(bodyOf(MAX_BYTES + 1))
    const stream = new ReadableStream({
      start(controller) {
        controller.enqueue(bytes.slice(0, 8_000))
        controller.enqueue(bytes.slice(8_000))
        controller.close()
      },
    })
    const response = await exports.default.fetch(new Request(`${BASE_URL}/users/auth/send_sms/`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: stream,
    }))
    expect(response.status).toBe(413)
  })
})

/** A POST from one of our pages with this body, sent as is: the browser's cookies, Origin and Sec-Fetch-Site with it. */
async function postFromPage(client: WebClient, path: string, body: BodyInit, contentType?: string) {
  const headers = new Headers({
    'Origin': client.origin,
    'Sec-Fetch-Site': 'same-origin',
    'Cookie': [...client.cookies].map(([name, { value }]) => `${name}=${value}`).join('; '),
  })
  if (contentType)
    headers.set('Content-Type', contentType)
  const response = await fetchWorker(new Request(new URL(path, client.origin), {
    method: 'POST',
    headers,
    body,
    redirect: 'manual',
  }))
  return { status: response.status, html: await response.text() }
}

describe('web forms', () => {
  const PROFILE = '/users/web/profile/'
  const NAMED = { first_name: 'Anna', last_name: 'Smirnova', email: 'anna@example.com' }

  async function savedProfile(client: WebClient) {
    const { body } = await api('GET', '/users/profile/', {
      token: client.cookie('access_token'),
    })
    return {
      first_name: body.first_name,
      last_name: body.last_name,
      email: body.email,
      inviter_referral_code: body.inviter_referral_code,
    }
  }

  it('refuses a body that is not a form with 415 on every form address, and saves or sends nothing', async () => {
    const inviter = await signIn()
    const client = await webSignIn(uniquePhone())
    expect((await client.post(PROFILE, NAMED)).status).toBe(303)
    const phone = uniquePhone()
    const bodies: [string, BodyInit, string | undefined][] = [
      [
        'JSON',
        JSON.stringify({ first_name: 'Mallory', phone_number: phone, inviter_referral_code: inviter.user.referral_code }),
        'application/json',
      ],
      ['text/plain', `first_name=Mallory&phone_number=${encodeURIComponent(phone)}`, 'text/plain'],
      [
        'no Content-Type',
        new TextEncoder().encode(`first_name=Mallory`),
        undefined,
      ],
      ['a form type only as a parameter', 'first_name=Mallory', 'text/plain; x=application/x-www-form-urlencoded'],
    ]
    for (const path of [
      PROFILE,
      `${PROFILE}referral/`,
      '/users/web/auth/send_sms/',
      '/users/web/auth/verify_sms/',
      '/users/web/auth/verify_sms/resend/',
      '/users/web/auth/logout/',
    ]) {
      for (const [what, body, contentType] of bodies) {
        const page = await postFromPage(client, path, body, contentType)
        expect(page.status, `${what} to ${path}`).toBe(415)
        expect(page.html, `${what} to ${path}`).toContain('We could not read what was sent')
      }
    }
    expect(await savedProfile(client)).toEqual({ ...NAMED, inviter_referral_code: null })
    expect(await smsSentTo(phone)).toHaveLength(0)
    // Signing out was refused too: the session still works.
    expect((await client.get(PROFILE)).status).toBe(200)
  })

  it('a form that leaves a field out leaves that field unchanged; an empty one still clears the email', async () => {
    const client = await webSignIn(uniquePhone())
    await client.post(PROFILE, NAMED)
    expect((await client.post(PROFILE, { first_name: 'Maria' })).status).toBe(303)
    expect(await savedProfile(client)).toMatchObject({ first_name: 'Maria', last_name: 'Smirnova', email: 'anna@example.com' })
    expect((await client.post(PROFILE, { email: '' })).status).toBe(303)
    expect(await savedProfile(client)).toMatchObject({ first_name: 'Maria', last_name: 'Smirnova', email: null })
  })

  it('accepts multipart/form-data, as a form with enctype="multipart/form-data" sends it', async () => {
    const client = await webSignIn(uniquePhone())
    const form = new FormData()
    for (const [name, value] of Object.entries(NAMED))
      form.set(name, value)
    expect((await postFromPage(client, PROFILE, form)).status).toBe(303)
    expect(await savedProfile(client)).toMatchObject(NAMED)
  })

  it('still refuses a form from another site with 403, whatever its form type', async () => {
    const client = await webSignIn(uniquePhone())
    await client.post(PROFILE, NAMED)
    const forged = await client.post(PROFILE, { first_name: 'Mallory' }, { 'Origin': 'https://evil.example', 'Sec-Fetch-Site': 'cross-site' })
    expect(forged.status).toBe(403)
    expect(await savedProfile(client)).toMatchObject(NAMED)
  })
})
