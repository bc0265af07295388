import { afterEach, describe, expect, it, vi } from 'vitest'
import { api, countRoundTrips, database, failSmsTo, lastCodeSentTo, signIn, smsSentTo, unansweredSettings, uniquePhone, withSettings } from './helpers'

const sendSms = (body: unknown, env?: Env) => api('POST', '/users/auth/send_sms/', { body, env })
const verifySms = (body: unknown) => api('POST', '/users/auth/verify_sms/', { body })
/** For tests that send a second code to a number straight away. */
const noCooldown = withSettings({ OTP_RESEND_SECONDS: '0' })

afterEach(() => {
  vi.useRealTimers()
})

describe('pOST /users/auth/send_sms/', () => {
  it('texts a 6-digit code through Twilio with exactly the request Twilio expects, and never returns the code', async () => {
    const phone = uniquePhone()
    const response = await sendSms({ phone_number: phone })

    expect(response.status).toBe(202)
    expect(response.body).toEqual({
      detail: expect.any(String),
      phone_number: phone,
      expires_in: 300,
      verification_id: expect.stringMatching(/^[\w-]{16,64}$/),
    })
    const [request, ...others] = await smsSentTo(phone)
    expect(others).toHaveLength(0)
    expect(request).toEqual({
      method: 'POST',
      path: '/2010-04-01/Accounts/AC00000000000000000000000000000001/Messages.json',
      authorization: `Basic ${btoa('AC00000000000000000000000000000001:twilio-test-auth-token')}`,
      contentType: 'application/x-www-form-urlencoded',
      form: {
        To: phone,
        From: '+15005550006',
        Body: expect.stringMatching(/^\d{6} is your Phone Auth sign-in code\. It expires in 5 min\.$/),
      },
    })
    const code = await lastCodeSentTo(phone)
    expect(JSON.stringify(response.body)).not.toContain(code)
  })

  it('answers new and existing users identically, so accounts cannot be enumerated', async () => {
    const existing = await signIn()
    const fresh = uniquePhone()
    const forExisting = await sendSms({ phone_number: existing.phone }, noCooldown)
    const forNew = await sendSms({ phone_number: fresh }, noCooldown)
    expect(forExisting.status).toBe(forNew.status)
    const comparable = (body: any) => ({ ...body, phone_number: 'x', verification_id: typeof body.verification_id })
    expect(comparable(forExisting.body)).toEqual(comparable(forNew.body))
  })

  it('understands any common formatting of a number as the same E.164 number', async () => {
    const phone = uniquePhone()
    const spaced = `+7 (${phone.slice(2, 5)}) ${phone.slice(5, 8)}-${phone.slice(8, 10)}-${phone.slice(10)}`
    const response = await sendSms({ phone_number: spaced })
    expect(response.status).toBe(202)
    expect(response.body.phone_number).toBe(phone)
    expect((await smsSentTo(phone)).at(-1)?.form.To).toBe(phone)
  })

  it('makes no database round trip', async () => {
    const { result, roundTrips } = await countRoundTrips(() => sendSms({
      phone_number: uniquePhone(),
    }))
    expect(result.status).toBe(202)
    expect(roundTrips).toBe(0)
  })

  it.each([
    [
      'not a number',
      { phone_number: 'hello' },
      'phone_number',
    ],
    [
      'too short',
      { phone_number: '+7912' },
      'phone_number',
    ],
    [
      'not a valid number for its country',
      { phone_number: '+70000000000' },
      'phone_number',
    ],
    [
      'a number, not a string',
      { phone_number: 79123456789 },
      'phone_number',
    ],
    ['missing', {}, 'phone_number'],
    [
      'a huge string',
      {
        phone_number: '+7'.padEnd(10_000, '9'),
      },
      'phone_number',
    ],
    [
      'sent with an unknown field',
      { phone_number: '+79123456789', phone: '1' },
      'phone',
    ],
  ])('refuses a phone number that is %s with a 400 problem naming the field', async (_, body, path) => {
    const response = await sendSms(body)
    expect(response.status).toBe(400)
    expect(response.headers.get('Content-Type')).toBe('application/problem+json')
    expect(response.body).toMatchObject({
      type: 'urn:phone-auth:problem:validation_failed',
      status: 400,
      code: 'validation_failed',
      title: expect.any(String),
      detail: expect.any(String),
    })
    expect(response.body.errors.map((error: { path: string }) => error.path)).toContain(path)
  })

  it('refuses a body that is not JSON with a clear 400', async () => {
    const response = await api('POST', '/users/auth/send_sms/', {
      rawBody: '{"phone_number": ',
      headers: { 'Content-Type': 'application/json' },
    })
    expect(response.status).toBe(400)
    expect(response.body).toMatchObject({ code: 'malformed_body', status: 400 })
  })

  it('refuses a form-encoded body with 415', async () => {
    const response = await api('POST', '/users/auth/send_sms/', {
      rawBody: 'phone_number=%2B79123456789',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    })
    expect(response.status).toBe(415)
    expect(response.body).toMatchObject({ code: 'unsupported_media_type' })
  })

  it('refuses a body over 16 KB with 413', async () => {
    const response = await api('POST', '/users/auth/send_sms/', {
      rawBody: JSON.stringify({
        phone_number: 'x'.repeat(20_000),
      }),
      headers: { 'Content-Type': 'application/json' },
    })
    expect(response.status).toBe(413)
    expect(response.body).toMatchObject({ code: 'payload_too_large' })
  })

  it('answers 502 when Twilio refuses, leaves no usable code behind, and a retry succeeds at once', async () => {
    const phone = uniquePhone()
    await failSmsTo(phone, { status: 500 })
    const failed = await sendSms({ phone_number: phone })
    expect(failed.status).toBe(502)
    expect(failed.body).toMatchObject({ code: 'sms_delivery_failed', status: 502 })
    expect(JSON.stringify(failed.body)).not.toContain(phone)
    const undelivered = await lastCodeSentTo(phone)
    expect((await verifySms({ phone_number: phone, sms_code: undelivered })).status).toBe(400)

    await failSmsTo(phone, null)
    expect((await sendSms({ phone_number: phone })).status).toBe(202)
    expect((await verifySms({ phone_number: phone, sms_code: await lastCodeSentTo(phone) })).status).toBe(200)
  })

  it('answers 502 when Twilio does not answer within SMS_TIMEOUT_MS', async () => {
    const phone = uniquePhone()
    await failSmsTo(phone, { hang: true })
    const response = await sendSms({ phone_number: phone }, unansweredSettings())
    expect(response.status).toBe(502)
    expect(response.body.code).toBe('sms_delivery_failed')
  })
})

describe('pOST /users/auth/verify_sms/', () => {
  it('registers a new user on the first sign-in and returns tokens and the user', async () => {
    const phone = uniquePhone()
    await sendSms({ phone_number: phone })
    const response = await verifySms({ phone_number: phone, sms_code: await lastCodeSentTo(phone) })

    expect(response.status).toBe(200)
    expect(response.body).toEqual({
      access: expect.stringMatching(/^[\w-]+\.[\w-]+\.[\w-]+$/),
      refresh: expect.stringMatching(/^[\w-]{43}$/),
      token_type: 'Bearer',
      expires_in: 900,
      is_new_user: true,
      user: {
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        phone_number: phone,
        first_name: '',
        last_name: '',
        email: null,
        referral_code: expect.stringMatching(/^[2-9A-HJ-NP-Z]{6}$/),
        inviter_referral_code: null,
        points: 0,
      },
    })
  })

  it('signs an existing user back into the same account, whatever the formatting', async () => {
    const first = await signIn('+79161234501')
    await sendSms({ phone_number: '+7 916 123-45-01' }, noCooldown)
    const again = await verifySms({
      phone_number: '8 (916) 123-45-01'.replace('8 ', '+7 '),
      sms_code: await lastCodeSentTo('+79161234501'),
    })
    expect(again.status).toBe(200)
    expect(again.body.is_new_user).toBe(false)
    expect(again.body.user.id).toBe(first.user.id)
    expect(again.body.user.referral_code).toBe(first.user.referral_code)
  })

  it('creates the user and the session in one database round trip', async () => {
    const phone = uniquePhone()
    await sendSms({ phone_number: phone })
    const code = await lastCodeSentTo(phone)
    const { result, roundTrips } = await countRoundTrips(() => verifySms({ phone_number: phone, sms_code: code }))
    expect(result.status).toBe(200)
    expect(roundTrips).toBe(1)
  })

  it('refuses a wrong code with 400 and creates no user', async () => {
    const phone = uniquePhone()
    await sendSms({ phone_number: phone })
    const code = await lastCodeSentTo(phone)
    const wrong = code === '000000'
      ? '111111'
      : '000000'
    const response = await verifySms({ phone_number: phone, sms_code: wrong })
    expect(response.status).toBe(400)
    expect(response.headers.get('Content-Type')).toBe('application/problem+json')
    expect(response.body).toMatchObject({ code: 'invalid_sms_code', status: 400 })
    const rows = await database().query('SELECT 1 FROM users WHERE phone_number = $1', [phone])
    expect(rows).toHaveLength(0)
  })

  it('accepts a code only once', async () => {
    const phone = uniquePhone()
    await sendSms({ phone_number: phone })
    const code = await lastCodeSentTo(phone)
    expect((await verifySms({ phone_number: phone, sms_code: code })).status).toBe(200)
    const replay = await verifySms({ phone_number: phone, sms_code: code })
    expect(replay.status).toBe(400)
    expect(replay.body.code).toBe('invalid_sms_code')
  })

  it('accepts only the newest code once another has been sent', async () => {
    const phone = uniquePhone()
    await sendSms({ phone_number: phone })
    const first = await lastCodeSentTo(phone)
    expect((await sendSms({ phone_number: phone }, noCooldown)).status).toBe(202)
    const second = await lastCodeSentTo(phone)
    if (first !== second)
      expect((await verifySms({ phone_number: phone, sms_code: first })).status).toBe(400)
    expect((await verifySms({ phone_number: phone, sms_code: second })).status).toBe(200)
  })

  it('refuses a code after OTP_TTL_SECONDS without counting the guess or offering attempts', async () => {
    const phone = uniquePhone()
    await sendSms({ phone_number: phone })
    const code = await lastCodeSentTo(phone)
    vi.useFakeTimers({
      toFake: ['Date'],
    })
    vi.setSystemTime(Date.now() + 301_000)
    const response = await verifySms({ phone_number: phone, sms_code: code })
    expect(response.status).toBe(400)
    expect(response.body.code).toBe('invalid_sms_code')
    expect(response.body.detail).not.toMatch(/attempt/)
    for (let guess = 1; guess <= 6; guess++)
      expect((await verifySms({ phone_number: phone, sms_code: '000000' })).body.code).toBe('invalid_sms_code')
  })

  it('accepts a code with its verification id only once, and the id names no other code', async () => {
    const phone = uniquePhone()
    const sent = await sendSms({ phone_number: phone })
    const code = await lastCodeSentTo(phone)
    const withId = { phone_number: phone, sms_code: code, verification_id: sent.body.verification_id }
    expect((await verifySms(withId)).status).toBe(200)
    expect((await verifySms(withId)).body.code).toBe('invalid_sms_code')
    expect((await verifySms({ phone_number: phone, sms_code: code })).body.code).toBe('invalid_sms_code')
  })

  it('refuses a code for a number it was not sent to', async () => {
    const phone = uniquePhone()
    const other = uniquePhone()
    await sendSms({ phone_number: phone })
    await sendSms({ phone_number: other })
    const response = await verifySms({ phone_number: other, sms_code: await lastCodeSentTo(phone) })
    // The other number's own code differs with overwhelming probability; equal codes would be a coincidence.
    if ((await lastCodeSentTo(other)) !== (await lastCodeSentTo(phone)))
      expect(response.status).toBe(400)
  })

  it.each([
    ['letters', 'abcdef'],
    ['too short', '123'],
    ['too long', '123456789'],
    ['a number instead of a string', 123456],
  ])('refuses an sms_code that is %s with a validation problem', async (_, smsCode) => {
    const response = await verifySms({
      phone_number: uniquePhone(),
      sms_code: smsCode,
    })
    expect(response.status).toBe(400)
    expect(response.body.code).toBe('validation_failed')
    expect(response.body.errors).toContainEqual({
      path: 'sms_code',
      message: expect.any(String),
    })
  })

  it('refuses verification when no code was ever sent', async () => {
    const response = await verifySms({
      phone_number: uniquePhone(),
      sms_code: '123456',
    })
    expect(response.status).toBe(400)
    expect(response.body.code).toBe('invalid_sms_code')
  })
})

describe('paths', () => {
  it('serves every operation with and without the trailing slash', async () => {
    const phone = uniquePhone()
    expect((await api('POST', '/users/auth/send_sms', {
      body: { phone_number: phone },
    })).status).toBe(202)
    const verified = await api('POST', '/users/auth/verify_sms', {
      body: { phone_number: phone, sms_code: await lastCodeSentTo(phone) },
    })
    expect(verified.status).toBe(200)
    expect((await api('GET', '/users/profile', { token: verified.body.access })).status).toBe(200)
  })

  it('answers an unknown path with a 404 problem', async () => {
    const response = await api('GET', '/users/nothing-here/')
    expect(response.status).toBe(404)
    expect(response.headers.get('Content-Type')).toBe('application/problem+json')
    expect(response.body.code).toBe('not_found')
  })
})
