// Delivery channels of send_sms: which exist here (SMS_CHANNELS), WhatsApp through Twilio Messages, and Telegram
// Gateway, each checked at its fake's HTTP boundary, with its failures and the limits that stay per number.
import { env } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { loadConfig } from '../../src/config'
import { failSmsTo, lastCodeSentTo, randomAddress, sendSms, smsSentTo, unansweredSettings, uniquePhone, verifySms, withSettings } from './helpers'

const allChannels = withSettings({ SMS_CHANNELS: 'sms,whatsapp,telegram' })
const allChannelsNoCooldown = withSettings({ SMS_CHANNELS: 'sms,whatsapp,telegram', OTP_RESEND_SECONDS: '0' })
const telegram = env.TELEGRAM_GATEWAY_API_BASE_URL
// For the failing send: each failure below answers 502 sms_delivery_failed, so would a slow answer timed out.
const allChannelsUnanswered = unansweredSettings({ SMS_CHANNELS: 'sms,whatsapp,telegram' })

function by(channel: string) {
  return {
    fields: { channel },
  }
}

describe('the channel field', () => {
  it('is sms when left out, exactly as before: one text through Twilio Messages', async () => {
    const phone = uniquePhone()
    const sent = await sendSms(phone, { env: allChannels })
    expect(sent.status).toBe(202)
    expect(sent.body.detail).toBe('A sign-in code has been sent by SMS.')
    expect((await smsSentTo(phone)).map(request => request.form.To)).toEqual([phone])
    expect(await smsSentTo(phone, telegram)).toEqual([])
  })

  it.each([
    ['an unknown channel', 'fax'],
    ['a channel this deployment does not offer', 'whatsapp'],
    ['a name that is not a channel but an object key', '__proto__'],
  ])('refuses %s with 422 naming it, sends nothing and charges nothing', async (_, channel) => {
    const phone = uniquePhone()
    const refused = await sendSms(phone, by(channel))
    expect(refused.status).toBe(422)
    expect(refused.headers.get('Content-Type')).toBe('application/problem+json')
    expect(refused.body.code).toBe('channel_not_available')
    expect(refused.body.detail).toContain(`"${channel}"`)
    expect(refused.body.errors).toEqual([
      { path: 'channel', message: 'Use one of: sms' },
    ])
    expect(await smsSentTo(phone)).toHaveLength(0)
    // No cooldown was started: the same number gets a code at once.
    expect((await sendSms(phone)).status).toBe(202)
  })

  it('keeps the number\'s limits whatever the channel: switching channels resets no cooldown and no quota', async () => {
    const phone = uniquePhone()
    expect((await sendSms(phone, { env: allChannels })).status).toBe(202)
    for (const channel of ['whatsapp', 'telegram']) {
      const again = await sendSms(phone, {
        env: allChannels,
        from: randomAddress(),
        ...by(channel),
      })
      expect(again.status).toBe(429)
      expect(again.body.code).toBe('resend_cooldown')
    }

    const other = uniquePhone()
    const channels = [
      'sms',
      'whatsapp',
      'telegram',
      'sms',
      'whatsapp',
    ]
    for (const channel of channels) {
      expect((await sendSms(other, {
        env: allChannelsNoCooldown,
        from: randomAddress(),
        ...by(channel),
      })).status).toBe(202)
    }
    const sixth = await sendSms(other, {
      env: allChannelsNoCooldown,
      from: randomAddress(),
      ...by('telegram'),
    })
    expect(sixth.status).toBe(429)
    expect(sixth.body.code).toBe('rate_limited')
    expect(await smsSentTo(other, telegram)).toHaveLength(1)
  })

  it('counts a client\'s share of a number\'s codes across channels', async () => {
    const phone = uniquePhone()
    const stranger = randomAddress()
    for (const channel of ['sms', 'whatsapp', 'telegram']) {
      expect((await sendSms(phone, {
        env: allChannelsNoCooldown,
        from: stranger,
        ...by(channel),
      })).status).toBe(202)
    }
    expect((await sendSms(phone, {
      env: allChannelsNoCooldown,
      from: stranger,
      ...by('sms'),
    })).body.code).toBe('rate_limited')
  })
})

describe('whatsApp through Twilio Messages', () => {
  it('sends the text from TWILIO_WHATSAPP_FROM with whatsapp: addresses, and its code signs in', async () => {
    const phone = uniquePhone()
    const sent = await sendSms(phone, {
      env: allChannels,
      ...by('whatsapp'),
    })
    expect(sent.status).toBe(202)
    expect(sent.body.detail).toBe('A sign-in code has been sent by WhatsApp.')
    const [request, ...others] = await smsSentTo(phone)
    expect(others).toHaveLength(0)
    const code = await lastCodeSentTo(phone)
    expect(request).toEqual({
      method: 'POST',
      path: '/2010-04-01/Accounts/AC00000000000000000000000000000001/Messages.json',
      authorization: `Basic ${btoa('AC00000000000000000000000000000001:twilio-test-auth-token')}`,
      contentType: 'application/x-www-form-urlencoded',
      form: {
        To: `whatsapp:${phone}`,
        From: 'whatsapp:+14155238886',
        Body: `${code} is your Phone Auth sign-in code. It expires in 5 min.`,
      },
    })
    expect((await verifySms(phone, code, {
      fields: { verification_id: sent.body.verification_id },
    })).status).toBe(200)
  })

  it('leaves the autofill line out: WebOTP reads SMS only', async () => {
    const phone = uniquePhone()
    const webOtp = withSettings({ SMS_CHANNELS: 'sms,whatsapp', WEB_OTP_DOMAIN: 'auth.example.com' })
    expect((await sendSms(phone, {
      env: webOtp,
      ...by('whatsapp'),
    })).status).toBe(202)
    expect((await smsSentTo(phone)).at(-1)!.form.Body).not.toContain('@auth.example.com')
  })

  it.each([
    [
      'a server error (500)',
      { status: 500 },
    ],
    [
      'not answering within SMS_TIMEOUT_MS',
      { hang: true as const },
    ],
    [
      'a refusal of the recipient (63016)',
      { status: 400, code: 63016 },
    ],
  ])('%s: 502 problem, nothing charged, retried at once', async (_, failure) => {
    const phone = uniquePhone()
    await failSmsTo(phone, failure)
    const failed = await sendSms(phone, {
      env: allChannelsUnanswered,
      ...by('whatsapp'),
    })
    expect(failed.status).toBe(502)
    expect(failed.body.code).toBe('sms_delivery_failed')
    await failSmsTo(phone, null)
    const retried = await sendSms(phone, {
      env: allChannels,
      ...by('whatsapp'),
    })
    expect(retried.status).toBe(202)
    expect((await verifySms(phone, await lastCodeSentTo(phone), { env: allChannels })).status).toBe(200)
  })
})

describe('telegram Gateway', () => {
  it('sends our own code with the bearer token and the code\'s lifetime, and the code signs in', async () => {
    const phone = uniquePhone()
    const sent = await sendSms(phone, {
      env: allChannels,
      ...by('telegram'),
    })
    expect(sent.status).toBe(202)
    expect(sent.body.detail).toBe('A sign-in code has been sent in Telegram.')
    const [request, ...others] = await smsSentTo(phone, telegram)
    expect(others).toHaveLength(0)
    expect(request).toEqual({
      method: 'POST',
      path: '/sendVerificationMessage',
      authorization: 'Bearer telegram-test-token',
      contentType: 'application/json',
      form: {},
      json: {
        phone_number: phone,
        code: expect.stringMatching(/^\d{6}$/),
        ttl: 300,
      },
    })
    expect(await smsSentTo(phone)).toHaveLength(0)
    const code = await lastCodeSentTo(phone, telegram)
    // Checked by the number's Durable Object, as an SMS code is: a wrong guess counts, the right one signs in once.
    expect((await verifySms(phone, String((Number(code) + 1) % 1e6).padStart(6, '0'))).body.attempts_left).toBe(4)
    expect((await verifySms(phone, code, {
      fields: { verification_id: sent.body.verification_id },
    })).status).toBe(200)
    expect((await verifySms(phone, code)).status).toBe(400)
  })

  it('says clearly when the number has no Telegram, charges nothing, and SMS works at once', async () => {
    const phone = uniquePhone()
    await failSmsTo(phone, { status: 400, error: 'PHONE_NUMBER_NOT_AVAILABLE' }, { origin: telegram })
    const refused = await sendSms(phone, {
      env: allChannels,
      ...by('telegram'),
    })
    expect(refused.status).toBe(422)
    expect(refused.body).toMatchObject({
      code: 'no_telegram_account',
      errors: [
        {
          path: 'channel',
          message: expect.any(String),
        },
      ],
    })
    expect(JSON.stringify(refused.body)).not.toContain(phone)
    const fallback = await sendSms(phone, { env: allChannels })
    expect(fallback.status).toBe(202)
    expect((await verifySms(phone, await lastCodeSentTo(phone))).status).toBe(200)
  })

  it.each([
    [
      'a server error (500)',
      { status: 500 },
    ],
    [
      'an error the Gateway names (ACCESS_TOKEN_INVALID)',
      { status: 401, error: 'ACCESS_TOKEN_INVALID' },
    ],
    [
      'not answering within SMS_TIMEOUT_MS',
      { hang: true as const },
    ],
    [
      'a success status with a body that is not the Gateway\'s',
      { malformed: true as const },
    ],
  ])('%s: 502 problem, nothing charged, retried at once', async (_, failure) => {
    const phone = uniquePhone()
    await failSmsTo(phone, failure, { origin: telegram })
    const failed = await sendSms(phone, {
      env: allChannelsUnanswered,
      ...by('telegram'),
    })
    expect(failed.status).toBe(502)
    expect(failed.body.code).toBe('sms_delivery_failed')
    expect((await verifySms(phone, await lastCodeSentTo(phone, telegram))).status).toBe(400)
    await failSmsTo(phone, null, { origin: telegram })
    expect((await sendSms(phone, {
      env: allChannels,
      ...by('telegram'),
    })).status).toBe(202)
    expect((await verifySms(phone, await lastCodeSentTo(phone, telegram))).status).toBe(200)
  })
})

describe('provider settings', () => {
  const configured = (settings: Record<string, string>) => () => loadConfig({
    ...env,
    ...settings,
  })

  it('are required for each channel on offer: the Worker refuses to start without them', () => {
    expect(configured({ SMS_PROVIDER: 'twilio_verify', TWILIO_VERIFY_SERVICE_SID: '' })).toThrow(/TWILIO_VERIFY_SERVICE_SID/)
    expect(configured({ SMS_PROVIDER: 'twilio_verify', TWILIO_VERIFY_SERVICE_SID: 'MG00000000000000000000000000000001' })).toThrow(/TWILIO_VERIFY_SERVICE_SID/)
    expect(configured({ SMS_CHANNELS: 'sms,telegram', TELEGRAM_GATEWAY_TOKEN: '' })).toThrow(/TELEGRAM_GATEWAY_TOKEN/)
    expect(configured({ SMS_PROVIDER: 'telegram_gateway', TELEGRAM_GATEWAY_TOKEN: '' })).toThrow(/TELEGRAM_GATEWAY_TOKEN/)
    expect(configured({ SMS_CHANNELS: 'sms,whatsapp', TWILIO_WHATSAPP_FROM: '' })).toThrow(/TWILIO_WHATSAPP_FROM/)
    expect(configured({ SMS_CHANNELS: 'sms,fax' })).toThrow(/SMS_CHANNELS/)
    expect(configured({ SMS_PROVIDER: 'twilio_verify', SMS_CHANNELS: 'sms,whatsapp', TWILIO_WHATSAPP_FROM: '' })).not.toThrow()
  })
})
