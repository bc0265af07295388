import { afterEach, describe, expect, it, vi } from 'vitest'
import { api, failSmsTo, lastCodeSentTo, uniquePhone } from './helpers'

function captureLogs() {
  const lines: string[] = []
  for (const method of ['log', 'error', 'warn', 'info'] as const)
    vi.spyOn(console, method).mockImplementation((...args: unknown[]) => void lines.push(args.map(String).join(' ')))
  const requestLines = () => lines.filter(line => line.startsWith('{')).map(line => JSON.parse(line))
  return { lines, requestLines }
}

afterEach(() => {
  vi.restoreAllMocks()
})

describe('request ids', () => {
  it('generates one per request, returns it in X-Request-Id and in problem bodies', async () => {
    const response = await api('GET', '/users/profile/')
    const id = response.headers.get('X-Request-Id')
    expect(id).toMatch(/^[0-9a-f-]{36}$/)
    expect(response.body.request_id).toBe(id)
  })

  it('echoes a caller\'s X-Request-Id, unless it is not a plain token', async () => {
    const echoed = await api('GET', '/.well-known/jwks.json', {
      headers: { 'X-Request-Id': 'edge-trace.42' },
    })
    expect(echoed.headers.get('X-Request-Id')).toBe('edge-trace.42')
    const replaced = await api('GET', '/.well-known/jwks.json', {
      headers: { 'X-Request-Id': 'bad id\twith "quotes"' },
    })
    expect(replaced.headers.get('X-Request-Id')).toMatch(/^[0-9a-f-]{36}$/)
  })
})

describe('the request log', () => {
  it('writes one JSON line per request with route, status, round trips, user and masked phone — never a code, token or full number', async () => {
    const logs = captureLogs()
    const phone = uniquePhone()
    await api('POST', '/users/auth/send_sms/', {
      body: { phone_number: phone },
    })
    const code = await lastCodeSentTo(phone)
    const verified = await api('POST', '/users/auth/verify_sms/', {
      body: { phone_number: phone, sms_code: code },
    })
    await api('GET', '/users/profile', { token: verified.body.access })

    const [send, verify, profile] = logs.requestLines()
    expect(logs.requestLines()).toHaveLength(3)
    expect(send).toMatchObject({
      level: 'info',
      method: 'POST',
      route: '/users/auth/send_sms/',
      status: 202,
      db_round_trips: 0,
      phone: `${phone.slice(0, 5)}*****${phone.slice(-2)}`,
    })
    expect(verify).toMatchObject({
      route: '/users/auth/verify_sms/',
      status: 200,
      db_round_trips: 1,
      request_id: expect.any(String),
      duration_ms: expect.any(Number),
    })
    expect(profile).toMatchObject({
      route: '/users/profile/',
      status: 200,
      db_round_trips: 1,
      user_id: verified.body.user.id,
    })

    const everything = logs.lines.join('\n')
    for (const secret of [
      phone,
      code,
      verified.body.access,
      verified.body.refresh,
    ])
      expect(everything).not.toContain(secret)
  })

  it('logs a server-side failure once, with its cause and the request id the client received', async () => {
    const logs = captureLogs()
    const phone = uniquePhone()
    await failSmsTo(phone, { status: 503 })
    const response = await api('POST', '/users/auth/send_sms/', {
      body: { phone_number: phone },
    })
    expect(response.status).toBe(502)
    const lines = logs.requestLines()
    expect(lines).toHaveLength(1)
    expect(lines[0]).toMatchObject({
      level: 'error',
      status: 502,
      request_id: response.body.request_id,
      error: expect.stringContaining('Twilio answered HTTP 503'),
    })
    expect(logs.lines.join('\n')).not.toContain(phone)
  })
})
