import { describe, expect, it } from 'vitest'
import { failSmsTo, lastCodeSentTo, sendSms, unansweredSettings, uniquePhone, verifySms } from './helpers'

// Every failure here answers 502 sms_delivery_failed, so a slow answer that ran into the short timeout would too.
const unanswered = unansweredSettings()

describe('twilio failing', () => {
  it.each([
    [
      'a server error (500)',
      { status: 500 },
    ],
    [
      'unavailable (503)',
      { status: 503 },
    ],
    [
      'rate limiting us (429)',
      { status: 429 },
    ],
    [
      'not answering within SMS_TIMEOUT_MS',
      { hang: true as const },
    ],
    [
      'a success status with a body that is not a message',
      { malformed: true as const },
    ],
  ])('%s: 502 problem, and the code that may not have arrived does not work', async (_, failure) => {
    const phone = uniquePhone()
    await failSmsTo(phone, failure)
    const response = await sendSms(phone, { env: unanswered })
    expect(response.status).toBe(502)
    expect(response.headers.get('Content-Type')).toBe('application/problem+json')
    expect(response.body).toMatchObject({ status: 502, code: 'sms_delivery_failed' })
    expect(JSON.stringify(response.body)).not.toContain(phone)
    expect((await verifySms(phone, await lastCodeSentTo(phone))).status).toBe(400)

    await failSmsTo(phone, null)
    expect((await sendSms(phone)).status).toBe(202)
    expect((await verifySms(phone, await lastCodeSentTo(phone))).status).toBe(200)
  })
})
