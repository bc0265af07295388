// SMS_PROVIDER=twilio_verify: Twilio makes, texts and checks the code. Our per-number Durable Object still counts
// each guess before Twilio is asked, uses a code once, and keeps the cooldowns and quotas; Twilio's own refusals
// answer as our problems. Every request is checked at the fake's HTTP boundary.
import type { SignInAttemptsState } from '../../src/domain/sign-in-attempts'
import { env, runInDurableObject } from 'cloudflare:test'
import { describe, expect, it, vi } from 'vitest'
import { hmacSha256 } from '../../src/domain/hmac'
import { captureLogs, failSmsTo, lastCodeSentTo, randomAddress, sendSms, smsSentTo, unansweredSettings, uniquePhone, verifySms, withSettings } from './helpers'

const verify = withSettings({ SMS_PROVIDER: 'twilio_verify' })
const verifyUnanswered = unansweredSettings({ SMS_PROVIDER: 'twilio_verify' })
const verifyNoCooldown = withSettings({ SMS_PROVIDER: 'twilio_verify', OTP_RESEND_SECONDS: '0' })
const SERVICE = '/v2/Services/VA00000000000000000000000000000001'
const AUTHORIZATION = `Basic ${btoa('AC00000000000000000000000000000001:twilio-test-auth-token')}`

async function checksAtTwilio(phone: string): Promise<{ form: Record<string, string> }[]> {
  const response = await fetch(`${env.TWILIO_API_BASE_URL}/__fake/requests?to=${encodeURIComponent(phone)}`)
  const requests = await response.json<{ path: string, form: Record<string, string> }[]>()
  return requests.filter(request => request.path.endsWith('/VerificationCheck'))
}

const wrong = (code: string) => String((Number(code) + 1) % 1e6).padStart(6, '0')

describe('twilio Verify as SMS_PROVIDER', () => {
  it('starts a verification in the request\'s language, then checks the guess with Twilio and signs in', async () => {
    const phone = uniquePhone()
    const sent = await sendSms(phone, {
      env: verify,
      fields: { locale: 'ru' },
    })
    expect(sent.status).toBe(202)
    expect(await smsSentTo(phone)).toEqual([
      {
        method: 'POST',
        path: `${SERVICE}/Verifications`,
        authorization: AUTHORIZATION,
        contentType: 'application/x-www-form-urlencoded',
        form: { To: phone, Channel: 'sms', Locale: 'ru' },
        code: expect.stringMatching(/^\d{6}$/),
      },
    ])
    const code = await lastCodeSentTo(phone)
    const signedIn = await verifySms(phone, code, {
      env: verify,
      fields: { verification_id: sent.body.verification_id },
    })
    expect(signedIn.status).toBe(200)
    expect(await checksAtTwilio(phone)).toEqual([
      expect.objectContaining({
        path: `${SERVICE}/VerificationCheck`,
        authorization: AUTHORIZATION,
        form: { To: phone, Code: code },
      }),
    ])
    // Used once: the same code again is refused here, without asking Twilio.
    expect((await verifySms(phone, code, { env: verify })).status).toBe(400)
    expect(await checksAtTwilio(phone)).toHaveLength(1)
  })

  it('stores no code and no code hash for a code Twilio made', async () => {
    const phone = uniquePhone()
    expect((await sendSms(phone, { env: verify })).status).toBe(202)
    const name = await hmacSha256(env.OTP_HMAC_SECRET, `attempts:${phone}`)
    const state = await runInDurableObject(env.SIGN_IN_ATTEMPTS.getByName(name), (_, ctx) => ctx.storage.kv.get<SignInAttemptsState>('state'))
    expect(state?.verifications).toHaveLength(1)
    expect(state!.verifications[0]!.hash).toBeUndefined()
    expect(JSON.stringify(state)).not.toContain(await lastCodeSentTo(phone))
  })

  it('sends the Android app hash and WhatsApp through Verify\'s channel', async () => {
    const phone = uniquePhone()
    const settings = withSettings({
      SMS_PROVIDER: 'twilio_verify',
      SMS_CHANNELS: 'sms,whatsapp',
      OTP_RESEND_SECONDS: '0',
      SMS_ANDROID_APP_HASH: 'FA+9qCX9VSu',
    })
    expect((await sendSms(phone, { env: settings })).status).toBe(202)
    expect((await sendSms(phone, {
      env: settings,
      fields: { channel: 'whatsapp' },
    })).status).toBe(202)
    expect((await smsSentTo(phone)).map(request => request.form)).toEqual([
      {
        To: phone,
        Channel: 'sms',
        Locale: 'en',
        AppHash: 'FA+9qCX9VSu',
      },
      { To: phone, Channel: 'whatsapp', Locale: 'en' },
    ])
    expect((await verifySms(phone, await lastCodeSentTo(phone), { env: settings })).status).toBe(200)
  })

  it('counts each guess before asking Twilio: 200 parallel wrong guesses reach Twilio at most 5 times, and the code dies', { timeout: 60_000 }, async () => {
    const phone = uniquePhone()
    expect((await sendSms(phone, { env: verify })).status).toBe(202)
    const code = await lastCodeSentTo(phone)
    const guesses = Array.from({ length: 200 }, (_, i) => String((Number(code) + 1 + i) % 1e6).padStart(6, '0'))
    const answers = await Promise.all(guesses.map(guess => verifySms(phone, guess, { env: verify })))
    expect(answers.filter(answer => answer.status === 200)).toHaveLength(0)
    expect(answers.filter(answer => answer.status !== 400).map(answer => answer.body)).toEqual([])
    expect((await checksAtTwilio(phone)).length).toBeLessThanOrEqual(5)
    expect((await verifySms(phone, code, { env: verify })).body.code).toBe('sms_code_attempts_exceeded')
  })

  it('cancels a code at Twilio once it had its last guess, so a new code is the way back in, as with our own codes', async () => {
    const phone = uniquePhone()
    expect((await sendSms(phone, { env: verifyNoCooldown })).status).toBe(202)
    const dead = await lastCodeSentTo(phone)
    for (let guess = 1; guess <= 4; guess++)
      expect((await verifySms(phone, wrong(dead), { env: verifyNoCooldown })).body.code).toBe('invalid_sms_code')
    expect((await verifySms(phone, wrong(dead), { env: verifyNoCooldown })).body.code).toBe('sms_code_attempts_exceeded')
    const response = await fetch(`${env.TWILIO_API_BASE_URL}/__fake/requests?to=${encodeURIComponent(phone)}`)
    const cancels = (await response.json<{ path: string, form: Record<string, string> }[]>()).filter(request => /\/Verifications\/VE\w+$/.test(request.path))
    expect(cancels).toEqual([
      expect.objectContaining({
        authorization: AUTHORIZATION,
        form: { Status: 'canceled' },
      }),
    ])

    expect((await sendSms(phone, { env: verifyNoCooldown })).status).toBe(202)
    expect((await verifySms(phone, await lastCodeSentTo(phone), { env: verifyNoCooldown })).status).toBe(200)
  })

  it('cancels nothing at Twilio while it has checks left: below its cap, a stranger\'s guesses leave the holder of the id their code', async () => {
    const threeAttempts = withSettings({ SMS_PROVIDER: 'twilio_verify', OTP_MAX_ATTEMPTS: '3' })
    const phone = uniquePhone()
    const sent = await sendSms(phone, { env: threeAttempts })
    const code = await lastCodeSentTo(phone)
    for (let guess = 1; guess <= 3; guess++) {
      expect((await verifySms(phone, wrong(code), {
        env: threeAttempts,
        from: randomAddress(),
      })).status).toBe(400)
    }
    expect((await verifySms(phone, code, { env: threeAttempts })).body.code).toBe('sms_code_attempts_exceeded')
    const owner = await verifySms(phone, code, {
      env: threeAttempts,
      fields: { verification_id: sent.body.verification_id },
    })
    expect(owner.status).toBe(200)
  })

  it('lets one of 50 parallel right guesses sign in, even when Twilio would approve the code again and again', async () => {
    const phone = uniquePhone()
    const sent = await sendSms(phone, { env: verify })
    const code = await lastCodeSentTo(phone)
    await failSmsTo(phone, { reusable: true }, { on: 'check' })
    const answers = await Promise.all(Array.from({ length: 50 }, (_, i) => verifySms(phone, code, {
      env: verify,
      fields: i % 2
        ? { verification_id: sent.body.verification_id }
        : {},
    })))
    expect(answers.filter(answer => answer.status === 200)).toHaveLength(1)
    expect((await checksAtTwilio(phone)).length).toBeGreaterThan(1)
    await failSmsTo(phone, null, { on: 'check' })
  })

  it('tells the owner how many guesses are left, as for our own codes', async () => {
    const phone = uniquePhone()
    expect((await sendSms(phone, { env: verify })).status).toBe(202)
    const code = await lastCodeSentTo(phone)
    const answer = await verifySms(phone, wrong(code), { env: verify })
    expect(answer.body).toMatchObject({ code: 'invalid_sms_code', attempts_left: 4 })
    expect((await verifySms(phone, code, { env: verify })).status).toBe(200)
  })

  it('keeps our cooldown and hourly quota in front of Twilio\'s', async () => {
    const phone = uniquePhone()
    expect((await sendSms(phone, { env: verify })).status).toBe(202)
    expect((await sendSms(phone, {
      env: verify,
      from: randomAddress(),
    })).body.code).toBe('resend_cooldown')
    expect(await smsSentTo(phone)).toHaveLength(1)
  })
})

describe('twilio Verify\'s answers', () => {
  it.each([
    [
      '60203, too many sends to the number',
      { status: 429, code: 60203 },
      429,
      'rate_limited',
    ],
    [
      '60410, a Fraud Guard block',
      { status: 403, code: 60410 },
      422,
      'phone_number_not_textable',
    ],
    [
      '60200, a number it does not take',
      { status: 400, code: 60200 },
      422,
      'phone_number_not_textable',
    ],
    [
      'a server error (500)',
      { status: 500 },
      502,
      'sms_delivery_failed',
    ],
    [
      'no answer within SMS_TIMEOUT_MS',
      { hang: true as const },
      502,
      'sms_delivery_failed',
    ],
    [
      'a success status with a body that is not a verification',
      { malformed: true as const },
      502,
      'sms_delivery_failed',
    ],
  ])('to a send, %s: our problem, nothing charged, a retry goes out at once', async (_, failure, status, code) => {
    const phone = uniquePhone()
    await failSmsTo(phone, failure)
    // Only a send that gets no answer may time out soon: the others' answers decide the status.
    const refused = await sendSms(phone, {
      env: 'hang' in failure
        ? verifyUnanswered
        : verify,
    })
    expect(refused.status).toBe(status)
    expect(refused.body.code).toBe(code)
    expect(JSON.stringify(refused.body)).not.toContain(phone)
    if (status === 429)
      expect(refused.headers.get('Retry-After')).toBe('600')
    await failSmsTo(phone, null)
    expect((await sendSms(phone, { env: verify })).status).toBe(202)
    expect((await verifySms(phone, await lastCodeSentTo(phone), { env: verify })).status).toBe(200)
  })

  it.each([
    [
      '20404, no pending verification',
      { status: 404, code: 20404 },
      'invalid_sms_code',
    ],
    [
      '60202, too many checks',
      { status: 429, code: 60202 },
      'sms_code_attempts_exceeded',
    ],
  ])('to a check, %s: 400 %s', async (_, failure, code) => {
    const phone = uniquePhone()
    expect((await sendSms(phone, { env: verify })).status).toBe(202)
    await failSmsTo(phone, failure, { on: 'check' })
    const answer = await verifySms(phone, await lastCodeSentTo(phone), { env: verify })
    expect(answer.status).toBe(400)
    expect(answer.body.code).toBe(code)
    await failSmsTo(phone, null, { on: 'check' })
  })

  it.each([
    [
      'a server error (500)',
      { status: 500 },
    ],
    [
      'no answer within SMS_TIMEOUT_MS',
      { hang: true as const },
    ],
    [
      'an answer that is not a verification check',
      { malformed: true as const },
    ],
  ])('to a check, %s: 502, the guess is not counted and can be repeated at once', async (_, failure) => {
    const phone = uniquePhone()
    expect((await sendSms(phone, { env: verify })).status).toBe(202)
    const code = await lastCodeSentTo(phone)
    await failSmsTo(phone, failure, { on: 'check' })
    for (let attempt = 1; attempt <= 6; attempt++) {
      // Each failure answers 502 code_check_failed, so would a slow answer timed out.
      const failed = await verifySms(phone, wrong(code), { env: verifyUnanswered })
      expect(failed.status).toBe(502)
      expect(failed.body.code).toBe('code_check_failed')
      if (!('status' in failure))
        break
    }
    await failSmsTo(phone, null, { on: 'check' })
    expect((await verifySms(phone, wrong(code), { env: verify })).body.attempts_left).toBe(4)
    expect((await verifySms(phone, code, { env: verify })).status).toBe(200)
  })
})

describe('logs with Twilio Verify and Telegram Gateway', () => {
  it('never hold a code or a full number, through refusals and failures of either provider', async () => {
    const phone = uniquePhone()
    const settings = {
      SMS_PROVIDER: 'twilio_verify',
      SMS_CHANNELS: 'sms,telegram',
      OTP_RESEND_SECONDS: '0',
    }
    const channels = withSettings(settings)
    const telegram = env.TELEGRAM_GATEWAY_API_BASE_URL
    const logs = captureLogs()
    await failSmsTo(phone, { status: 400, error: 'PHONE_NUMBER_NOT_AVAILABLE' }, { origin: telegram })
    expect((await sendSms(phone, {
      env: channels,
      fields: { channel: 'telegram' },
    })).status).toBe(422)
    await failSmsTo(phone, null, { origin: telegram })
    await failSmsTo(phone, { status: 500 })
    expect((await sendSms(phone, { env: channels })).status).toBe(502)
    await failSmsTo(phone, null)
    expect((await sendSms(phone, { env: channels })).status).toBe(202)
    const code = await lastCodeSentTo(phone)
    await failSmsTo(phone, { hang: true }, { on: 'check' })
    expect((await verifySms(phone, code, {
      env: unansweredSettings(settings),
    })).status).toBe(502)
    await failSmsTo(phone, null, { on: 'check' })
    expect((await verifySms(phone, wrong(code), { env: channels })).status).toBe(400)
    expect((await verifySms(phone, code, { env: channels })).status).toBe(200)
    vi.restoreAllMocks()
    const lines = logs.lines.join('\n')
    expect(lines).toContain('code_check_failed')
    expect(lines).not.toContain(phone.slice(1))
    expect(lines).not.toContain(code)
  })
})
