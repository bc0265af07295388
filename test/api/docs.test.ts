import { describe, expect, it } from 'vitest'
import changelog from '../../CHANGELOG.md?raw'
import committed from '../../openapi.json'
import packageJson from '../../package.json'
import { api } from './helpers'

const OPERATIONS = [
  ['post', '/users/auth/send_sms/'],
  ['post', '/users/auth/verify_sms/'],
  ['post', '/users/auth/refresh/'],
  ['post', '/users/auth/logout/'],
  ['get', '/users/profile/'],
  ['patch', '/users/profile/update/'],
  ['get', '/.well-known/jwks.json'],
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
