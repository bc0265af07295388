import { afterEach, describe, expect, it } from 'vitest'
import { api, database, lastCodeSentTo, sendSms, smsSentTo, uniquePhone, verifySms } from '../api/helpers'
import { clearFaults, failKv } from './faults'

afterEach(clearFaults)

function expectUnavailable(response: Awaited<ReturnType<typeof api>>) {
  expect(response.status).toBe(503)
  expect(response.headers.get('Content-Type')).toBe('application/problem+json')
  expect(response.headers.get('Retry-After')).toBe('5')
  expect(response.body).toMatchObject({ status: 503, code: 'storage_unavailable' })
  expect(JSON.stringify(response.body)).not.toContain('injected')
}

async function usersWithPhone(phone: string): Promise<number> {
  const [row] = await database().query('SELECT count(*)::int AS users FROM users WHERE phone_number = $1', [phone])
  return row!.users
}

describe('kV failing', () => {
  it('to store a code: send_sms answers 503 and texts nothing, so no code goes out that could not be verified', async () => {
    const phone = uniquePhone()
    await failKv(['put'])
    expectUnavailable(await sendSms(phone))
    expect(await smsSentTo(phone)).toEqual([])
  })

  it('to read a code: verify_sms answers 503, creates no user, and the code still works afterwards', async () => {
    const phone = uniquePhone()
    expect((await sendSms(phone)).status).toBe(202)
    const code = await lastCodeSentTo(phone)
    await failKv(['get'])
    expectUnavailable(await verifySms(phone, code))
    expect(await usersWithPhone(phone)).toBe(0)
    await failKv([])
    expect((await verifySms(phone, code)).status).toBe(200)
  })

  it('to read a code, however often: no guess is charged, and the right code still works afterwards', async () => {
    const phone = uniquePhone()
    expect((await sendSms(phone)).status).toBe(202)
    const code = await lastCodeSentTo(phone)
    await failKv(['get'])
    for (let attempt = 1; attempt <= 6; attempt++)
      expectUnavailable(await verifySms(phone, code))
    await failKv([])
    expect((await verifySms(phone, code)).status).toBe(200)
    expect((await verifySms(phone, code)).status).toBe(400)
  })

  it('the health endpoint answers 503, KV unavailable, database ok, without details', async () => {
    await failKv(['get'])
    const response = await api('GET', '/health/')
    expect(response.status).toBe(503)
    expect(response.headers.get('Retry-After')).toBe('5')
    expect(response.headers.get('Cache-Control')).toBe('no-store')
    expect(response.body).toEqual({
      status: 'unavailable',
      checks: { database: 'ok', kv: 'unavailable' },
    })
  })
})
