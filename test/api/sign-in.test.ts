import { describe, expect, it } from 'vitest'
import { api, lastCodeSentTo, smsSentTo, uniquePhone } from './helpers'

describe('sign-in smoke', () => {
  it('sends a code and signs in with it', async () => {
    const phone = uniquePhone()
    const sent = await api('POST', '/users/auth/send_sms/', { body: { phone_number: phone } })
    expect(sent.status, JSON.stringify(sent.body)).toBe(202)
    const messages = await smsSentTo(phone)
    expect(messages).toHaveLength(1)
    const code = await lastCodeSentTo(phone)
    const verified = await api('POST', '/users/auth/verify_sms/', { body: { phone_number: phone, sms_code: code } })
    expect(verified.status).toBe(200)
    expect(verified.body.is_new_user).toBe(true)
  })
})
