import { describe, expect, it } from 'vitest'
import changelog from '../../CHANGELOG.md?raw'
import committed from '../../openapi.json'
import packageJson from '../../package.json'
import * as errors from '../../src/lib/errors'
import { ProblemSchema } from '../../src/routes/schemas/problem'
import { api, lastCodeSentTo, sendSms, uniquePhone, verifySms } from './helpers'

const OPERATIONS = [
  ['post', '/users/auth/send_sms/'],
  ['post', '/users/auth/verify_sms/'],
  ['post', '/users/auth/refresh/'],
  ['post', '/users/auth/logout/'],
  ['get', '/users/profile/'],
  ['get', '/users/profile/referrals/'],
  ['patch', '/users/profile/update/'],
  ['get', '/.well-known/jwks.json'],
  ['get', '/server/v1/users/{id}/'],
  ['get', '/server/v1/users/'],
  ['get', '/server/v1/users/{id}/points/ledger/'],
  ['post', '/server/v1/users/{id}/points/transactions/'],
] as const

describe('gET /openapi.json', () => {
  it('is an OpenAPI 3.1 document describing every operation on the contract\'s paths', async () => {
    const response = await api('GET', '/openapi.json')
    expect(response.status).toBe(200)
    const doc = response.body
    expect(doc.openapi).toBe('3.1.0')
    expect(doc.info).toMatchObject({
      title: expect.any(String),
      version: expect.any(String),
    })
    expect(doc.servers).toEqual([
      { url: 'https://phone-auth.test' },
    ])
    for (const [method, path] of OPERATIONS)
      expect(doc.paths[path]?.[method], `${method.toUpperCase()} ${path}`).toBeDefined()
  })

  it('declares bearer auth on the protected operations only', async () => {
    const doc = (await api('GET', '/openapi.json')).body
    expect(doc.components.securitySchemes.bearerAuth).toMatchObject({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
    expect(doc.paths['/users/profile/'].get.security).toEqual([
      { bearerAuth: [] },
    ])
    expect(doc.paths['/users/profile/update/'].patch.security).toEqual([
      { bearerAuth: [] },
    ])
    expect(doc.paths['/users/auth/send_sms/'].post.security).toBeUndefined()
  })

  it('puts the server API under its own tag and security scheme', async () => {
    const doc = (await api('GET', '/openapi.json')).body
    expect(doc.components.securitySchemes.serverKey).toMatchObject({ type: 'http', scheme: 'bearer' })
    for (const [method, path] of OPERATIONS.filter(([, path]) => path.startsWith('/server/'))) {
      expect(doc.paths[path][method].tags, `${method} ${path}`).toEqual(['Server API'])
      expect(doc.paths[path][method].security).toEqual([
        { serverKey: [] },
      ])
    }
  })

  it('documents request examples and every problem response as problem+json', async () => {
    const doc = (await api('GET', '/openapi.json')).body
    const sendSms = doc.paths['/users/auth/send_sms/'].post
    expect(doc.components.schemas.SendSmsRequest.properties.phone_number.example).toBe('+79123456789')
    for (const status of ['400', '502'])
      expect(sendSms.responses[status].content['application/problem+json'].schema.$ref).toBe('#/components/schemas/Problem')
    const update = doc.paths['/users/profile/update/'].patch
    expect(Object.keys(update.responses)).toEqual(expect.arrayContaining([
      '200',
      '400',
      '401',
      '404',
      '409',
      '422',
    ]))
    expect(JSON.stringify(doc.components.schemas.Profile)).toContain('#/components/schemas/Referral')
  })
})

/** Every error class the service throws (src/lib/errors.ts), each with the example it shows itself by. */
const catalogue = Object.values(errors).filter((value): value is typeof value & { example: () => errors.AppError } =>
  typeof value === 'function' && value.prototype instanceof errors.AppError)

/** Each error code with the status it answers with, from the catalogue. */
const statusOfCode = new Map(catalogue.map(errorClass => [errorClass.example().code, errorClass.example().status]))

interface ProblemExample { summary: string, value: Record<string, any> }

/** Every problem response in the document: operation, status, and its examples by name. */
async function problemResponses() {
  const doc = (await api('GET', '/openapi.json')).body
  return Object.entries(doc.paths as Record<string, Record<string, { responses: Record<string, any> }>>).flatMap(([path, operations]) =>
    Object.entries(operations).flatMap(([method, operation]) =>
      Object.entries(operation.responses)
        .filter(([, response]) => response.content?.['application/problem+json'])
        .map(([status, response]) => ({
          path,
          operation: `${method.toUpperCase()} ${path} ${status}`,
          status: Number(status),
          examples: response.content['application/problem+json'].examples as Record<string, ProblemExample> | undefined,
        }))))
}

/** The codes the document shows under this operation's status. */
async function documentedCodes(method: string, path: string, status: number): Promise<string[]> {
  const response = (await problemResponses()).find(entry => entry.operation === `${method} ${path} ${status}`)
  return Object.keys(response?.examples ?? {})
}

describe('problem examples in the OpenAPI document', () => {
  it('every error class of the catalogue makes an example of itself, each with its own code', () => {
    expect(catalogue.length).toBeGreaterThan(0)
    for (const errorClass of catalogue)
      expect(errorClass.example(), errorClass.name).toBeInstanceOf(errorClass)
    expect(statusOfCode.size, 'codes are unique').toBe(catalogue.length)
  })

  it('each error status of each operation shows examples of codes that answer with that very status', async () => {
    const responses = await problemResponses()
    expect(responses.length).toBeGreaterThan(20)
    for (const { path, operation, status, examples } of responses) {
      expect(Object.keys(examples ?? {}), `${operation} has examples`).not.toHaveLength(0)
      for (const [name, { summary, value }] of Object.entries(examples!)) {
        expect(statusOfCode.get(value.code), `${operation}: ${name} is a code of the catalogue with this status`).toBe(status)
        expect(value, `${operation}: ${name}`).toMatchObject({
          type: `urn:phone-auth:problem:${name}`,
          code: name,
          status,
          instance: path,
          title: summary,
        })
        expect(ProblemSchema.safeParse(value).success, `${operation}: ${name} fits the Problem schema`).toBe(true)
      }
    }
  })

  it('shows the refusals of sending a code under their own statuses, not a validation error', async () => {
    expect(await documentedCodes('POST', '/users/auth/send_sms/', 400)).toEqual(['validation_failed', 'malformed_body', 'client_address_invalid'])
    expect(await documentedCodes('POST', '/users/auth/send_sms/', 429)).toEqual(['resend_cooldown', 'rate_limited'])
    expect(await documentedCodes('POST', '/users/auth/send_sms/', 503)).toEqual(['storage_unavailable', 'human_check_unavailable'])
    expect(await documentedCodes('GET', '/users/profile/', 401)).toEqual(['unauthenticated', 'user_not_found'])
  })

  it('real refusals are among the examples documented for their operation and status', async () => {
    const phone = uniquePhone()
    const refusals = [
      ['POST', '/users/auth/send_sms/', await api('POST', '/users/auth/send_sms/', {
        body: { phone_number: '12345' },
      })],
      ['POST', '/users/auth/send_sms/', await api('POST', '/users/auth/send_sms/', { rawBody: '{' })],
      ['POST', '/users/auth/logout/', await api('POST', '/users/auth/logout/', { body: {} })],
      ['GET', '/users/profile/', await api('GET', '/users/profile/')],
      ['GET', '/users/profile/', await api('GET', '/users/profile/', { token: 'not-a-token' })],
    ] as const
    expect((await sendSms(phone)).status).toBe(202)
    const wrongCode = await verifySms(phone, (await lastCodeSentTo(phone)) === '000000'
      ? '111111'
      : '000000')
    for (const [method, path, response] of [
      ...refusals,
      ['POST', '/users/auth/verify_sms/', wrongCode] as const,
    ])
      expect(await documentedCodes(method, path, response.status), `${method} ${path}`).toContain(response.body.code)
    // Its problem says in a field, not only in prose, how many guesses the code has left.
    expect(wrongCode.body).toMatchObject({ code: 'invalid_sms_code', attempts_left: 4 })
  })

  it('summaries are plain text, as Swagger UI and Redoc show them', async () => {
    const doc = (await api('GET', '/openapi.json')).body
    for (const [path, operations] of Object.entries(doc.paths as Record<string, Record<string, { summary: string }>>)) {
      for (const [method, { summary }] of Object.entries(operations))
        expect(summary, `${method.toUpperCase()} ${path}`).not.toMatch(/[`*_[\]]/)
    }
  })
})

describe('documentation pages', () => {
  it('serves Swagger UI at /docs/ and Redoc at /redoc/, both reading /openapi.json', async () => {
    for (const path of ['/docs/', '/redoc/', '/docs', '/redoc']) {
      const response = await api('GET', path)
      expect(response.status, path).toBe(200)
      expect(response.headers.get('Content-Type')).toContain('text/html')
      expect(response.body).toContain('/openapi.json')
    }
  })
})

describe('committed openapi.json', () => {
  it('matches the served document, so every API change shows up in review (npm run openapi:write)', async () => {
    const { servers: _servers, ...served } = (await api('GET', '/openapi.json')).body
    expect(served).toEqual(committed)
  })

  it('carries the contract version, which CHANGELOG.md describes', async () => {
    expect(committed.info.version).toBe(packageJson.version)
    expect(changelog).toContain(`## ${packageJson.version} —`)
  })
})
