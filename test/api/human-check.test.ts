// Cloudflare Turnstile on send_sms, with siteverify replaced by a fake at its HTTP boundary
// (test/support/fake-turnstile.ts): the exact request we send, and what each answer does to the send.
import { env } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { sendSms, smsSentTo, uniquePhone, withSettings } from './helpers'
import { WebClient } from './web-helpers'

const turnstileOn = withSettings({ TURNSTILE_SECRET_KEY: 'turnstile-test-secret', TURNSTILE_SITE_KEY: 'turnstile-test-site-key' })

async function siteverifyRequests(): Promise<{ path: string, contentType: string, form: Record<string, string> }[]> {
  return (await fetch(`${env.TURNSTILE_API_BASE_URL}/__fake/requests`)).json()
}

describe('turnstile on send_sms', () => {
  it('is off by default: the seed\'s request sends a code without a token', async () => {
    expect((await sendSms(uniquePhone())).status).toBe(202)
  })

  it('refuses a send without a token with 403 naming the field, texts nothing and charges nothing', async () => {
    const phone = uniquePhone()
    const refused = await sendSms(phone, { env: turnstileOn })
    expect(refused.status).toBe(403)
    expect(refused.body).toMatchObject({
      code: 'human_check_failed',
      errors: [
        {
          path: 'turnstile_token',
          message: expect.any(String),
        },
      ],
    })
    expect(await smsSentTo(phone)).toHaveLength(0)
    // Nothing was charged: the cooldown did not start.
    expect((await sendSms(phone, {
      env: turnstileOn,
      fields: { turnstile_token: 'pass-1' },
    })).status).toBe(202)
  })

  it('asks siteverify with our secret, the token and the client address, and sends the code when it passes', async () => {
    const phone = uniquePhone()
    const sent = await sendSms(phone, {
      env: turnstileOn,
      from: '203.0.113.7',
      fields: { turnstile_token: 'pass-exact' },
    })
    expect(sent.status).toBe(202)
    const request = (await siteverifyRequests()).findLast(candidate => candidate.form.response === 'pass-exact')
    expect(request).toEqual({
      path: '/turnstile/v0/siteverify',
      contentType: 'application/x-www-form-urlencoded;charset=UTF-8',
      form: { secret: 'turnstile-test-secret', response: 'pass-exact', remoteip: '203.0.113.7' },
    })
    expect(await smsSentTo(phone)).toHaveLength(1)
  })

  it('refuses a token siteverify does not accept', async () => {
    const phone = uniquePhone()
    const refused = await sendSms(phone, {
      env: turnstileOn,
      fields: { turnstile_token: 'forged' },
    })
    expect(refused.status).toBe(403)
    expect(refused.body.code).toBe('human_check_failed')
    expect(await smsSentTo(phone)).toHaveLength(0)
  })

  it('answers 503 with Retry-After when siteverify fails, and texts nothing', async () => {
    const phone = uniquePhone()
    const refused = await sendSms(phone, {
      env: turnstileOn,
      fields: { turnstile_token: 'down' },
    })
    expect(refused.status).toBe(503)
    expect(refused.headers.get('Retry-After')).toBe('5')
    expect(refused.body.code).toBe('human_check_unavailable')
    expect(await smsSentTo(phone)).toHaveLength(0)
  })
})

describe('turnstile on the web sign-in form', () => {
  const SEND = '/users/web/auth/send_sms/'

  it('is absent by default, and the pages\' CSP admits no other origin', async () => {
    const page = await new WebClient().get(SEND)
    expect(page.html).not.toContain('cf-turnstile')
    expect(page.headers.get('Content-Security-Policy')).not.toContain('challenges.cloudflare.com')
  })

  it('shows the widget with the site key, and the CSP admits Turnstile\'s script and frame only then', async () => {
    const page = await new WebClient(undefined, {}, turnstileOn).get(SEND)
    expect(page.html).toContain('<div class="cf-turnstile" data-sitekey="turnstile-test-site-key" data-language="en"></div>')
    expect(page.html).toContain('<script src="https://challenges.cloudflare.com/turnstile/v0/api.js" async="" defer=""></script>')
    const policy = page.headers.get('Content-Security-Policy')!
    expect(policy).toContain('script-src \'self\' https://challenges.cloudflare.com')
    expect(policy).toContain('frame-src https://challenges.cloudflare.com')
  })

  it('sends a code only with the token the widget put into the form', async () => {
    const phone = uniquePhone()
    const client = new WebClient(undefined, {}, turnstileOn)
    const refused = await client.post(SEND, { phone_number: phone })
    expect(refused.status).toBe(403)
    expect(refused.html).toContain('Complete the check below')
    expect(await smsSentTo(phone)).toHaveLength(0)

    const sent = await client.post(SEND, { 'phone_number': phone, 'cf-turnstile-response': 'pass-web' })
    expect(sent.status).toBe(303)
    expect(await smsSentTo(phone)).toHaveLength(1)
  })

  it('is refused as configuration when only one of its two keys is set', async () => {
    const halfConfigured = withSettings({ TURNSTILE_SECRET_KEY: 'turnstile-test-secret' })
    const response = await sendSms(uniquePhone(), { env: halfConfigured })
    expect(response.status).toBe(500)
    expect(JSON.stringify(response.body)).not.toContain('turnstile-test-secret')
  })
})
