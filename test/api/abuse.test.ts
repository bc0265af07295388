// Abuse resistance of sign-in: code guessing, SMS pumping and per-client quotas. Each limit is hit here, and next
// to it the legitimate user is shown to be unharmed.
import type { SignInAttemptsState } from '../../src/domain/sign-in-attempts'
import { env, runInDurableObject } from 'cloudflare:test'
import { describe, expect, it, vi } from 'vitest'
import { loadConfig } from '../../src/config'
import { hmacSha256 } from '../../src/domain/hmac'
import { captureLogs, failSmsTo, lastCodeSentTo, randomAddress, sendSms, smsSentTo, uniquePhone, verifySms, withSettings } from './helpers'

/** A six-digit code other than `code`. */
const wrong = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, '0')

async function codeSentTo(phone: string, options: { env?: Env } = {}): Promise<string> {
  expect((await sendSms(phone, options)).status).toBe(202)
  return lastCodeSentTo(phone)
}

/** A number's sign-in state, read from its Durable Object's storage. */
async function storedState(phone: string): Promise<SignInAttemptsState | undefined> {
  const name = await hmacSha256(env.OTP_HMAC_SECRET, `attempts:${phone}`)
  return runInDurableObject(env.SIGN_IN_ATTEMPTS.getByName(name), (_, state) =>
    state.storage.kv.get<SignInAttemptsState>('state'))
}

/** The guesses counted against a number's newest code: those with its id, and those without. */
async function attemptsCounted(phone: string): Promise<{ withId: number, withoutId: number } | undefined> {
  const newest = (await storedState(phone))?.verifications.at(-1)
  return newest && { withId: newest.attempts, withoutId: newest.anonymousAttempts }
}

function expectRetryAfter(response: { status: number, headers: Headers, body: any }, code: string, atMost: number) {
  expect(response.status).toBe(429)
  expect(response.headers.get('Content-Type')).toBe('application/problem+json')
  expect(response.body.code).toBe(code)
  const seconds = Number(response.headers.get('Retry-After'))
  expect(seconds).toBeGreaterThanOrEqual(1)
  expect(seconds).toBeLessThanOrEqual(atMost)
  expect(response.body.retry_after).toBe(seconds)
}

describe('code guessing', () => {
  it('allows OTP_MAX_ATTEMPTS (5) guesses, then the code is dead and the answer says to request a new one', async () => {
    const phone = uniquePhone()
    const code = await codeSentTo(phone)
    for (let guess = 1; guess <= 4; guess++) {
      const response = await verifySms(phone, wrong(code))
      expect(response.status).toBe(400)
      expect(response.body.code).toBe('invalid_sms_code')
      expect(response.body.detail).toContain(`${5 - guess} attempt(s) left`)
      expect(response.body.attempts_left).toBe(5 - guess)
    }
    const fifth = await verifySms(phone, wrong(code))
    expect(fifth.status).toBe(400)
    expect(fifth.body.code).toBe('sms_code_attempts_exceeded')
    expect(fifth.body.errors).toEqual([
      {
        path: 'sms_code',
        message: expect.stringContaining('request a new code'),
      },
    ])

    const right = await verifySms(phone, code)
    expect(right.status).toBe(400)
    expect(right.body.code).toBe('sms_code_attempts_exceeded')
  })

  it('lets the owner in with the right code after a few typos', async () => {
    const phone = uniquePhone()
    const code = await codeSentTo(phone)
    for (let guess = 1; guess <= 4; guess++)
      expect((await verifySms(phone, wrong(code))).status).toBe(400)
    expect((await verifySms(phone, code)).status).toBe(200)
  })

  // A thousand requests through one isolate take a few seconds, more on a busy CI machine.
  it('holds under 1,000 parallel wrong guesses: 5 are evaluated, none succeeds, the code dies', { timeout: 60_000 }, async () => {
    const phone = uniquePhone()
    const code = await codeSentTo(phone)
    // All from one address whose own quota is out of the way: the number's counter alone must stop them.
    const guesses = Array.from({ length: 1_000 }, (_, i) => String((Number(code) + 1 + i) % 1_000_000).padStart(6, '0'))
    const answers = await Promise.all(guesses.map(guess => verifySms(phone, guess)))

    expect(answers.filter(answer => answer.status === 200)).toHaveLength(0)
    expect(answers.every(answer => answer.status === 400)).toBe(true)
    expect(answers.filter(answer => answer.body.code === 'invalid_sms_code').length).toBeLessThanOrEqual(4)
    expect(await attemptsCounted(phone)).toEqual({ withId: 0, withoutId: 5 })

    const right = await verifySms(phone, code)
    expect(right.body.code).toBe('sms_code_attempts_exceeded')
    // A new code is the way back in.
    const fresh = await codeSentTo(phone, {
      env: withSettings({ OTP_RESEND_SECONDS: '0' }),
    })
    expect((await verifySms(phone, fresh)).status).toBe(200)
  })

  it('keeps only a keyed hash of the code, in an object whose name is a keyed hash of the number', async () => {
    const phone = uniquePhone()
    const code = await codeSentTo(phone)
    const stored = JSON.stringify(await storedState(phone))
    expect(stored).toContain('"hash"')
    expect(stored).not.toContain(code)
    expect(stored).not.toContain(phone.slice(1))
  })
})

describe('verification ids: nobody can lock a stranger out', () => {
  it('guesses without the id cannot use up the attempts of the person holding it', async () => {
    const phone = uniquePhone()
    const sent = await sendSms(phone)
    const code = await lastCodeSentTo(phone)
    // A stranger burns every guess the number's code allows to callers without its id.
    for (let guess = 1; guess <= 5; guess++) {
      expect((await verifySms(phone, wrong(code), {
        from: randomAddress(),
      })).status).toBe(400)
    }
    expect((await verifySms(phone, code)).body.code).toBe('sms_code_attempts_exceeded')

    const owner = await verifySms(phone, code, {
      fields: { verification_id: sent.body.verification_id },
    })
    expect(owner.status).toBe(200)
  })

  it('counts guesses with an id against that code alone: 2 × OTP_MAX_ATTEMPTS in all, under 200 parallel guesses each way', { timeout: 60_000 }, async () => {
    const phone = uniquePhone()
    const sent = await sendSms(phone)
    const code = await lastCodeSentTo(phone)
    const guesses = Array.from({ length: 200 }, (_, i) => String((Number(code) + 1 + i) % 1_000_000).padStart(6, '0'))
    const answers = await Promise.all(guesses.flatMap(guess => [
      verifySms(phone, guess),
      verifySms(phone, guess, {
        fields: { verification_id: sent.body.verification_id },
      }),
    ]))
    expect(answers.filter(answer => answer.status === 200)).toHaveLength(0)
    expect(await attemptsCounted(phone)).toEqual({ withId: 5, withoutId: 5 })
    expect((await verifySms(phone, code, {
      fields: { verification_id: sent.body.verification_id },
    })).body.code).toBe('sms_code_attempts_exceeded')
  })

  it('refuses a guess with an unknown id without comparing or counting it', async () => {
    const phone = uniquePhone()
    await sendSms(phone)
    const code = await lastCodeSentTo(phone)
    for (let guess = 1; guess <= 10; guess++) {
      const response = await verifySms(phone, code, {
        fields: { verification_id: `forged-${guess}` },
      })
      expect(response.body.code).toBe('invalid_sms_code')
      expect(response.body.detail).not.toMatch(/attempt/)
    }
    expect(await attemptsCounted(phone)).toEqual({ withId: 0, withoutId: 0 })
    expect((await verifySms(phone, code)).status).toBe(200)
  })

  it('keeps the owner\'s code working when a stranger asks for another one', async () => {
    const noCooldown = withSettings({ OTP_RESEND_SECONDS: '0' })
    const phone = uniquePhone()
    const owner = await sendSms(phone, { env: noCooldown })
    const ownerCode = await lastCodeSentTo(phone)
    expect((await sendSms(phone, {
      env: noCooldown,
      from: randomAddress(),
    })).status).toBe(202)
    const signedIn = await verifySms(phone, ownerCode, {
      fields: { verification_id: owner.body.verification_id },
    })
    expect(signedIn.status).toBe(200)
  })

  it('lets one client use only OTP_SENDS_PER_HOUR_PER_CLIENT (3) of a number\'s hourly codes, so the owner can still get one', async () => {
    const noCooldown = withSettings({ OTP_RESEND_SECONDS: '0' })
    const phone = uniquePhone()
    const stranger = randomAddress()
    for (let send = 1; send <= 3; send++)
      expect((await sendSms(phone, { env: noCooldown, from: stranger })).status).toBe(202)
    expectRetryAfter(await sendSms(phone, { env: noCooldown, from: stranger }), 'rate_limited', 3_600)
    expect((await sendSms(phone, {
      env: noCooldown,
      from: randomAddress(),
    })).status).toBe(202)
    expect(await smsSentTo(phone)).toHaveLength(4)
  })
})

describe('sending limits', () => {
  it('refuses a second code within OTP_RESEND_SECONDS with 429 and Retry-After, and sends no SMS', async () => {
    const phone = uniquePhone()
    await codeSentTo(phone)
    const again = await sendSms(phone)
    expectRetryAfter(again, 'resend_cooldown', 60)
    expect(await smsSentTo(phone)).toHaveLength(1)
  })

  it('sends again once the cooldown has passed, and only the new code works', async () => {
    const shortCooldown = withSettings({ OTP_RESEND_SECONDS: '1' })
    const phone = uniquePhone()
    const first = await codeSentTo(phone, { env: shortCooldown })
    await new Promise(resolve => setTimeout(resolve, 1_100))
    const second = await codeSentTo(phone, { env: shortCooldown })
    if (first !== second)
      expect((await verifySms(phone, first)).status).toBe(400)
    expect((await verifySms(phone, second)).status).toBe(200)
  })

  it('keeps the cooldown in seconds: a second code one second later is still refused', async () => {
    const phone = uniquePhone()
    await codeSentTo(phone)
    await new Promise(resolve => setTimeout(resolve, 1_000))
    const again = await sendSms(phone, {
      from: randomAddress(),
    })
    expectRetryAfter(again, 'resend_cooldown', 60)
    expect(again.body.retry_after).toBeGreaterThanOrEqual(55)
  })

  it('sends OTP_SENDS_PER_HOUR (5) codes to a number in an hour, then answers 429 until the hour is over', async () => {
    const noCooldown = withSettings({ OTP_RESEND_SECONDS: '0' })
    const phone = uniquePhone()
    for (let send = 1; send <= 5; send++) {
      expect((await sendSms(phone, {
        env: noCooldown,
        from: randomAddress(),
      })).status).toBe(202)
    }
    const sixth = await sendSms(phone, {
      env: noCooldown,
      from: randomAddress(),
    })
    expectRetryAfter(sixth, 'rate_limited', 3_600)
    expect(sixth.body.retry_after).toBeGreaterThan(3_500)
    expect(await smsSentTo(phone)).toHaveLength(5)
  })

  it('does not charge the cooldown or the quota for a send that failed', async () => {
    const phone = uniquePhone()
    await failSmsTo(phone, { status: 503 })
    expect((await sendSms(phone)).status).toBe(502)
    await failSmsTo(phone, null)
    expect((await sendSms(phone)).status).toBe(202)
    expect((await verifySms(phone, await lastCodeSentTo(phone))).status).toBe(200)
  })

  it('limits send_sms per client address (IP_SENDS_PER_HOUR), and other addresses are unaffected', async () => {
    const limited = withSettings({ IP_SENDS_PER_HOUR: '3' })
    const address = randomAddress()
    for (let send = 1; send <= 3; send++)
      expect((await sendSms(uniquePhone(), { env: limited, from: address })).status).toBe(202)
    expectRetryAfter(await sendSms(uniquePhone(), { env: limited, from: address }), 'rate_limited', 3_600)
    expect((await sendSms(uniquePhone(), {
      env: limited,
      from: randomAddress(),
    })).status).toBe(202)
  })

  it('counts an IPv6 client by its /64, so rotating addresses inside it does not help', async () => {
    const limited = withSettings({ IP_SENDS_PER_HOUR: '2' })
    const prefix = randomAddress().replace(/::1$/, '')
    expect((await sendSms(uniquePhone(), { env: limited, from: `${prefix}::1` })).status).toBe(202)
    expect((await sendSms(uniquePhone(), { env: limited, from: `${prefix}:0:0:0:2` })).status).toBe(202)
    expect((await sendSms(uniquePhone(), { env: limited, from: `${prefix}:abcd::3` })).status).toBe(429)
  })

  it('limits verify_sms per client address (IP_VERIFIES_PER_HOUR)', async () => {
    const limited = withSettings({ IP_VERIFIES_PER_HOUR: '2' })
    const address = randomAddress()
    const phone = uniquePhone()
    const code = await codeSentTo(phone)
    for (let guess = 1; guess <= 2; guess++)
      expect((await verifySms(phone, wrong(code), { env: limited, from: address })).body.code).toBe('invalid_sms_code')
    expectRetryAfter(await verifySms(phone, code, { env: limited, from: address }), 'rate_limited', 3_600)
    // The refused request was not counted against the number's code, which still works from elsewhere.
    expect((await verifySms(phone, code, {
      env: limited,
      from: randomAddress(),
    })).status).toBe(200)
  })
})

describe('sMS pumping', () => {
  it('refuses numbers outside SMS_ALLOWED_COUNTRIES with a 422 naming the field, and sends nothing', async () => {
    const russiaOnly = withSettings({ SMS_ALLOWED_COUNTRIES: 'RU' })
    const kazakh = '+77012345678'
    const refused = await sendSms(kazakh, { env: russiaOnly })
    expect(refused.status).toBe(422)
    expect(refused.body.code).toBe('sms_country_not_allowed')
    expect(refused.body.errors).toEqual([
      {
        path: 'phone_number',
        message: expect.any(String),
      },
    ])
    expect(await smsSentTo(kazakh)).toHaveLength(0)
    expect((await sendSms(uniquePhone(), { env: russiaOnly })).status).toBe(202)
  })

  it('caps codes to new numbers per range of 10,000 a day, logs it for operators, and never stops returning users', async () => {
    const capped = withSettings({ SMS_NEW_NUMBERS_PER_RANGE_PER_DAY: '3' })
    const logs = captureLogs()
    // One block, +354 611 xxxx: a user signs up (the first of the block's three new numbers today), then a pumping
    // burst fills the cap.
    const returning = '+3546110001'
    expect((await sendSms(returning, { env: capped })).status).toBe(202)
    expect((await verifySms(returning, await lastCodeSentTo(returning), { env: capped })).status).toBe(200)
    await new Promise(resolve => setTimeout(resolve, 50))

    await failSmsTo('+3546111231', { status: 500 })
    expect((await sendSms('+3546111231', { env: capped })).status).toBe(502)
    expect((await sendSms('+3546111232', { env: capped })).status).toBe(202)
    expect((await sendSms('+3546111233', { env: capped })).status).toBe(202)
    const over = await sendSms('+3546111234', { env: capped })
    expectRetryAfter(over, 'rate_limited', 86_400)
    expect(await smsSentTo('+3546111234')).toHaveLength(0)
    expect(logs.requestLines().filter(line => line.security_event === 'sms_cap_reached')).toEqual([
      expect.objectContaining({ level: 'warn', status: 429, phone: '+3546****34' }),
    ])

    const noCooldown = withSettings({ SMS_NEW_NUMBERS_PER_RANGE_PER_DAY: '3', OTP_RESEND_SECONDS: '0' })
    expect((await sendSms(returning, { env: noCooldown })).status).toBe(202)
    expect((await sendSms('+3546121231', { env: capped })).status).toBe(202)
    vi.restoreAllMocks()
  })

  it('gives a returning user\'s cap charge back once only, even when their SMS then fails', async () => {
    const capped = withSettings({ SMS_NEW_NUMBERS_PER_RANGE_PER_DAY: '2', OTP_RESEND_SECONDS: '0' })
    const returning = '+3546130001'
    expect((await sendSms(returning, { env: capped })).status).toBe(202)
    expect((await verifySms(returning, await lastCodeSentTo(returning), { env: capped })).status).toBe(200)
    await failSmsTo(returning, { status: 500 })
    expect((await sendSms(returning, { env: capped })).status).toBe(502)
    await failSmsTo(returning, null)
    // The block holds the user's own first code: one more new number fits, the next does not.
    expect((await sendSms('+3546131231', { env: capped })).status).toBe(202)
    expectRetryAfter(await sendSms('+3546131232', { env: capped }), 'rate_limited', 86_400)
  })

  it('keeps a per-country ceiling for new numbers in shards, so one range fills only its share', async () => {
    // 16 shards of one each: a second new number in one range is over its shard's share.
    const ceiling = withSettings({ SMS_NEW_NUMBERS_PER_COUNTRY_PER_DAY: '16' })
    expect((await sendSms('+3546221231', { env: ceiling })).status).toBe(202)
    expectRetryAfter(await sendSms('+3546221232', { env: ceiling }), 'rate_limited', 86_400)
    expect(await smsSentTo('+3546221232')).toHaveLength(0)
  })

  it('texts only numbers that can receive an SMS: premium-rate, international networks, landlines and the like get 422', async () => {
    const refused = [
      '+19005550199', // US premium rate
      '+979123456789', // international premium rate
      '+78095050000', // Russian premium rate
      '+88213200000', // international networks (+882)
      '+442071234567', // London landline
    ]
    for (const phone of refused) {
      const response = await sendSms(phone)
      expect(response.status, phone).toBe(422)
      expect(response.body.code).toBe('phone_number_not_textable')
      expect(response.body.errors).toEqual([
        {
          path: 'phone_number',
          message: expect.any(String),
        },
      ])
      expect(await smsSentTo(phone)).toHaveLength(0)
    }
    expect((await sendSms('+447700123456')).status).toBe(202)
    expect((await sendSms('+14155552671')).status).toBe(202)
  })

  it('texts other number types where SMS_NUMBER_TYPES allows them', async () => {
    const landlines = withSettings({ SMS_NUMBER_TYPES: 'MOBILE,FIXED_LINE_OR_MOBILE,FIXED_LINE' })
    expect((await sendSms('+442071234568', { env: landlines })).status).toBe(202)
  })
})

describe('test phone numbers', () => {
  it('sign in with their fixed code and send no SMS', async () => {
    const sent = await sendSms('+1 555 555 0100')
    expect(sent.status).toBe(202)
    expect(await smsSentTo('+15555550100')).toHaveLength(0)
    expect((await verifySms('+15555550100', '000000')).body.code).toBe('invalid_sms_code')
    const signedIn = await verifySms('+15555550100', '123456')
    expect(signedIn.status).toBe(200)
    expect(signedIn.body.user.phone_number).toBe('+15555550100')
  })

  it('are refused by the configuration when ENVIRONMENT=production', () => {
    expect(() => loadConfig({ ...env, ENVIRONMENT: 'production', LOCAL_SQL_ENDPOINT: '' })).toThrow(/TEST_PHONE_NUMBERS/)
  })

  it('are exempt from the number-type rule', async () => {
    const premiumTester = withSettings({ TEST_PHONE_NUMBERS: '+19005550100:123456' })
    expect((await sendSms('+19005550100', { env: premiumTester })).status).toBe(202)
    expect((await verifySms('+19005550100', '123456', { env: premiumTester })).status).toBe(200)
  })

  it('leave fictional numbers that are not configured refused', async () => {
    const response = await sendSms('+15555550199')
    expect(response.status).toBe(400)
    expect(response.body.errors).toEqual([
      {
        path: 'phone_number',
        message: expect.any(String),
      },
    ])
  })
})
