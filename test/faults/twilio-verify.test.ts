// A code Twilio Verify made and approved, whose sign-in then failed on the database: Twilio has spent it, so the
// number's Durable Object keeps the approved code's keyed hash and checks the retry itself.
import { afterEach, describe, expect, it } from 'vitest'
import { lastCodeSentTo, sendSms, uniquePhone, verifySms, withSettings } from '../api/helpers'
import { clearFaults, setDatabaseFault } from './faults'

afterEach(async () => {
  await clearFaults()
})

describe('twilio Verify with the database down', () => {
  it('gives the approved code back: the same code signs in once the database answers, and only once', async () => {
    const verify = withSettings({ SMS_PROVIDER: 'twilio_verify' })
    const phone = uniquePhone()
    expect((await sendSms(phone, { env: verify })).status).toBe(202)
    const code = await lastCodeSentTo(phone)

    await setDatabaseFault({ mode: 'down' })
    const failed = await verifySms(phone, code, { env: verify })
    expect(failed.status).toBe(503)
    expect(failed.body.code).toBe('database_unavailable')
    await setDatabaseFault({ mode: 'none' })

    expect((await verifySms(phone, code, { env: verify })).status).toBe(200)
    expect((await verifySms(phone, code, { env: verify })).status).toBe(400)
  })
})
