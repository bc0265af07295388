import { afterEach, describe, expect, it, vi } from 'vitest'
import { ageRotations, api, captureLogs, failSmsTo, lastCodeSentTo, uniquePhone } from './helpers'

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

  it('answers with its own id whatever the caller sends, logging the caller\'s apart as client_request_id', async () => {
    const logs = captureLogs()
    const first = await api('GET', '/users/profile/')
    // A caller who reuses another request's id must not make its refusals and log lines pass for that request's.
    const copycat = await api('GET', '/users/profile/', {
      headers: {
        'X-Request-Id': first.headers.get('X-Request-Id')!,
      },
    })
    const ours = copycat.headers.get('X-Request-Id')
    expect(ours).toMatch(/^[0-9a-f-]{36}$/)
    expect(ours).not.toBe(first.headers.get('X-Request-Id'))
    expect(copycat.body.request_id).toBe(ours)
    const [, line] = logs.requestLines()
    expect(line).toMatchObject({
      request_id: ours,
      client_request_id: first.headers.get('X-Request-Id'),
    })
  })

  it('keeps a tracing client\'s plain id as it is in the log, so its traces lead to our line', async () => {
    const logs = captureLogs()
    const response = await api('GET', '/.well-known/jwks.json', {
      headers: { 'X-Request-Id': 'edge-trace.42/span:7' },
    })
    expect(response.headers.get('X-Request-Id')).toMatch(/^[0-9a-f-]{36}$/)
    expect(logs.requestLines()[0]).toMatchObject({
      request_id: response.headers.get('X-Request-Id'),
      client_request_id: 'edge-trace.42/span:7',
    })
  })

  it('logs a hostile caller id only cut to 128 plain characters, and none at all when there is none', async () => {
    const logs = captureLogs()
    await api('GET', '/.well-known/jwks.json', {
      headers: { 'X-Request-Id': `bad id\t"quotes" <script>${'x'.repeat(500)}` },
    })
    await api('GET', '/.well-known/jwks.json')
    const [hostile, none] = logs.requestLines()
    expect(hostile.client_request_id).toBe(`bad_id__quotes___script_${'x'.repeat(104)}`)
    expect(none).not.toHaveProperty('client_request_id')
  })
})

describe('the request log', () => {
  it('writes one JSON line per request with route, status, round trips, user and masked phone', async () => {
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
  })

  it('never contains a code, a token or a full phone number over a whole sign-in, only the masked number', async () => {
    const logs = captureLogs()
    const phone = uniquePhone()
    // As a person types it: the log must not hold this spelling either.
    const typed = `${phone.slice(0, 2)} (${phone.slice(2, 5)}) ${phone.slice(5, 8)}-${phone.slice(8, 10)}-${phone.slice(10)}`
    await api('POST', '/users/auth/send_sms/', {
      body: { phone_number: typed },
    })
    const code = await lastCodeSentTo(phone)
    const wrongCode = code === '000000'
      ? '111111'
      : '000000'
    const refused = await api('POST', '/users/auth/verify_sms/', {
      body: { phone_number: phone, sms_code: wrongCode },
    })
    expect(refused.status).toBe(400)
    const verified = await api('POST', '/users/auth/verify_sms/', {
      body: { phone_number: typed, sms_code: code },
    })
    expect(verified.status).toBe(200)
    await api('GET', '/users/profile/', { token: verified.body.access })
    const refreshed = await api('POST', '/users/auth/refresh/', {
      body: { refresh: verified.body.refresh },
    })
    expect(refreshed.status).toBe(200)
    // A replay of the rotated token, past the grace period: logged as a security event, still without the token.
    await ageRotations(verified.body.user.id)
    expect((await api('POST', '/users/auth/refresh/', {
      body: { refresh: verified.body.refresh },
    })).status).toBe(401)
    await api('POST', '/users/auth/logout/', {
      body: { refresh: refreshed.body.refresh, all: true },
    })

    const lines = logs.requestLines()
    expect(lines.map(line => `${line.route} ${line.status}`)).toEqual([
      '/users/auth/send_sms/ 202',
      '/users/auth/verify_sms/ 400',
      '/users/auth/verify_sms/ 200',
      '/users/profile/ 200',
      '/users/auth/refresh/ 200',
      '/users/auth/refresh/ 401',
      '/users/auth/logout/ 204',
    ])
    expect(lines[5]).toMatchObject({ security_event: 'refresh_token_reused', user_id: verified.body.user.id })

    const everything = logs.lines.join('\n')
    const masked = `${phone.slice(0, 5)}*****${phone.slice(-2)}`
    expect(everything).toContain(masked)
    const secrets = {
      'the phone number': phone,
      'its digits': phone.slice(1),
      'its national part': phone.slice(2),
      'the typed spelling': typed,
      'the code': code,
      'the wrong code': wrongCode,
      'the first access token': verified.body.access,
      'the first access token\'s signature': verified.body.access.split('.')[2],
      'the first refresh token': verified.body.refresh,
      'the second access token': refreshed.body.access,
      'the second refresh token': refreshed.body.refresh,
    }
    // Request and user ids are random hex; a 6-digit code could turn up inside one by chance.
    const withoutIds = everything.replace(/[0-9a-f]{8}(?:-[0-9a-f]{4}){3}-[0-9a-f]{12}/g, '<id>')
    for (const [what, secret] of Object.entries(secrets))
      expect(withoutIds.includes(secret), what).toBe(false)
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
