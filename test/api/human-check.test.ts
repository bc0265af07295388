// Cloudflare Turnstile on send_sms, with siteverify replaced by a fake at its HTTP boundary
// (test/support/fake-turnstile.ts): the exact request we send, and what each answer does to the send.
import { env } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { sendSms, smsSentTo, uniquePhone, withSettings } from './helpers'

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
