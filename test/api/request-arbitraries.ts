// Requests for property-based tests, made from the served OpenAPI document, which is itself generated from the
// routes' zod schemas: bodies and query strings that fit each operation's schema, and mutations of them that a
// careless or hostile client might send (wrong types, unicode, control characters, very long strings, deep nesting,
// duplicate keys, unknown fields, missing fields, wrong or missing content types, no body at all).
import fc from 'fast-check'

type JsonSchema = Record<string, any>

export interface OpenApiDocument {
  paths: Record<string, Record<string, JsonSchema>>
  components: { schemas: Record<string, JsonSchema> }
}

export interface Operation {
  method: string
  path: string
  body?: JsonSchema
  query: { name: string, schema: JsonSchema }[]
  secured: boolean
}

export interface FuzzRequest {
  method: string
  /** Path and query string. */
  path: string
  headers: Record<string, string>
  body?: string
}

export function operationsOf(doc: OpenApiDocument): Operation[] {
  return Object.entries(doc.paths).flatMap(([path, methods]) => Object.entries(methods).map(([method, operation]) => ({
    method: method.toUpperCase(),
    path,
    body: operation.requestBody?.content?.['application/json']?.schema,
    query: (operation.parameters ?? []).filter((parameter: JsonSchema) => parameter.in === 'query'),
    secured: Boolean(operation.security?.length),
  })))
}

/** Strings a client might type, paste or forge. */
export const nastyString: fc.Arbitrary<string> = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom('', ' ', '\u0000', '\t\n\r', '\u202E\u0000x', '\uD800', '\uFEFF+79123456789', '𝟗𝟏𝟐', '٠١٢٣٤٥', '+7 (912) 345-67-89\n', 'null', 'undefined', 'NaN', '-1', '1e309', '__proto__', 'constructor', '{{7*7}}', '$' + '{7*7}', '../../etc/passwd', '%00', '%', 'ЁЖ'),
  fc.tuple(fc.constantFrom('x', 'é', '😀', '\u0007', '9'), fc.integer({ min: 100, max: 20_000 })).map(([unit, times]) => unit.repeat(times)),
)

/** Any JSON value, nested a little or very deep. */
const wrongValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.constantFrom(true, false, null, 0, -1, 1.5, 1e308, [], {}, ['+79123456789'], { phone_number: '+79123456789' }),
  fc.integer({ min: 50, max: 3_000 }).map(depth => JSON.parse(`${'['.repeat(depth)}${']'.repeat(depth)}`) as unknown),
  fc.integer({ min: 50, max: 2_000 }).map(depth => JSON.parse(`${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`) as unknown),
)

/** Percent-encodes UTF-8 bytes; unlike encodeURIComponent it takes lone surrogates too (as U+FFFD). */
function percentEncode(value: string): string {
  return Array.from(new TextEncoder().encode(value), byte => /[\w.~-]/.test(String.fromCharCode(byte))
    ? String.fromCharCode(byte)
    : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`).join('')
}

function resolve(doc: OpenApiDocument, schema: JsonSchema): JsonSchema {
  return schema.$ref
    ? doc.components.schemas[String(schema.$ref).split('/').pop()!]!
    : schema
}

/** A JSON value that fits `schema` (mostly: a string's pattern is honoured only where it is a plain RegExp). */
export function fitting(doc: OpenApiDocument, schema: JsonSchema): fc.Arbitrary<unknown> {
  const resolved = resolve(doc, schema)
  const types: string[] = Array.isArray(resolved.type)
    ? resolved.type
    : [resolved.type]
  return fc.oneof(...types.map((type): fc.Arbitrary<unknown> => {
    switch (type) {
      case 'object': {
        const properties = Object.fromEntries(Object.entries(resolved.properties ?? {}).map(([key, value]) => [
          key,
          fitting(doc, value as JsonSchema),
        ]))
        return fc.record(properties, { requiredKeys: resolved.required ?? [] })
      }
      case 'string': {
        const candidates: fc.Arbitrary<string>[] = [
          fc.string({
            minLength: resolved.minLength ?? 0,
            maxLength: Math.min(resolved.maxLength ?? 40, 40),
          }),
        ]
        if (resolved.example !== undefined)
          candidates.push(fc.constant(String(resolved.example)))
        const pattern = safeRegExp(resolved.pattern)
        if (pattern)
          candidates.push(fc.stringMatching(pattern))
        return fc.oneof(...candidates)
      }
      case 'integer':
        return fc.integer({ min: resolved.minimum ?? -1_000, max: resolved.maximum ?? 1_000 })
      case 'number':
        return fc.double({ noNaN: true })
      case 'boolean':
        return fc.boolean()
      case 'null':
        return fc.constant(null)
      default:
        return fc.jsonValue({ maxDepth: 2 })
    }
  }))
}

/** Patterns that are anchored at both ends; anything else (a flag leaked into the text, say) is left out. */
function safeRegExp(pattern: unknown): RegExp | undefined {
  if (typeof pattern !== 'string' || !pattern.startsWith('^') || !pattern.endsWith('$'))
    return undefined
  try {
    return new RegExp(pattern)
  }
  catch {
    return undefined
  }
}

/** The body of `operation`: fitting its schema, or a mutation of such a body. */
function bodyFor(doc: OpenApiDocument, schema: JsonSchema): fc.Arbitrary<unknown> {
  const properties = Object.keys(resolve(doc, schema).properties ?? {})
  const valid = fitting(doc, schema) as fc.Arbitrary<Record<string, unknown>>
  const field = fc.constantFrom(...properties)
  return fc.oneof(
    { weight: 2, arbitrary: valid },
    {
      weight: 3,
      arbitrary: fc.tuple(valid, field, fc.oneof(wrongValue, nastyString)).map(([body, key, value]) => ({ ...body, [key]: value })),
    },
    {
      weight: 1,
      arbitrary: fc.tuple(valid, field).map(([body, key]) => Object.fromEntries(Object.entries(body).filter(([name]) => name !== key))),
    },
    {
      weight: 1,
      arbitrary: fc.tuple(valid, fc.oneof(nastyString, fc.constantFrom('__proto__', 'constructor', 'phone-number', 'PHONE_NUMBER')), wrongValue).map(([body, key, value]) => ({ ...body, [key]: value })),
    },
    { weight: 1, arbitrary: wrongValue },
  )
}

/** Serialises a body, sometimes with a key repeated (the later value wins in JSON.parse) or cut short. */
function serialised(body: unknown): fc.Arbitrary<string> {
  const json = JSON.stringify(body) ?? 'null'
  return fc.oneof(
    {
      weight: 6,
      arbitrary: fc.constant(json),
    },
    {
      weight: 1,
      arbitrary: fc.constant(json.startsWith('{"')
        ? `{"phone_number":"+79123456789",${json.slice(1)}`
        : json),
    },
    {
      weight: 1,
      arbitrary: fc.nat({
        max: Math.max(0, json.length - 1),
      }).map(cut => json.slice(0, cut)),
    },
  )
}

const rawBody: fc.Arbitrary<string> = fc.oneof(
  nastyString,
  fc.constantFrom('', '{', '}', '[', '{"phone_number":', '{"a":1,}', 'phone_number=%2B79123456789', '\uFEFF{}', 'null', '"string"', '1', '{"__proto__":{"admin":true}}'),
  fc.integer({ min: 100, max: 20_000 }).map(depth => `${'['.repeat(depth)}${']'.repeat(depth)}`),
)

const contentType: fc.Arbitrary<string | undefined> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.constant('application/json'),
  },
  {
    weight: 3,
    arbitrary: fc.constantFrom(undefined, 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/json; charset=utf-16', 'APPLICATION/JSON', 'application/problem+json', 'application/jsonx', '*/*', ''),
  },
  {
    weight: 1,
    arbitrary: nastyString.filter(value => /^[\t\x20-\x7E]*$/.test(value)),
  },
)

/** Authorization values from absent to almost right; `valid` is a real access token. */
function authorization(valid: string): fc.Arbitrary<string | undefined> {
  return fc.oneof(
    {
      weight: 4,
      arbitrary: fc.constant(`Bearer ${valid}`),
    },
    {
      weight: 1,
      arbitrary: fc.constant(undefined),
    },
    {
      weight: 2,
      arbitrary: fc.oneof(
        fc.constantFrom('Bearer', 'Bearer ', 'Basic dXNlcjpwYXNz', `bearer ${valid}`, `Bearer  ${valid}`, `Bearer ${valid}x`, `Bearer ${valid.slice(0, -5)}`, `Bearer ${valid.split('.').slice(0, 2).join('.')}.`, 'Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.'),
        nastyString.filter(value => /^[\t\x20-\x7E]*$/.test(value)).map(value => `Bearer ${value}`),
      ),
    },
  )
}

function queryFor(doc: OpenApiDocument, operation: Operation): fc.Arbitrary<string> {
  if (!operation.query.length)
    return fc.constantFrom('', '', '', '?', '?x=1', '?limit=5&limit=6')
  const pairs = operation.query.map(({ name, schema }) => fc.option(fc.oneof(fitting(doc, schema).map(String), nastyString).map(value => `${name}=${percentEncode(value)}`)))
  return fc.tuple(...pairs, fc.option(fc.constantFrom('limit=1&limit=2', 'cursor=%', 'cursor=%E0%A4%A', `x=${'y'.repeat(5_000)}`))).map((parts) => {
    const present = parts.filter((part): part is string => part !== null)
    return present.length
      ? `?${present.join('&')}`
      : ''
  })
}

function pathFor(operation: Operation): fc.Arbitrary<string> {
  return fc.oneof(
    {
      weight: 8,
      arbitrary: fc.constant(operation.path),
    },
    {
      weight: 1,
      arbitrary: fc.constant(operation.path.endsWith('/')
        ? operation.path.slice(0, -1)
        : `${operation.path}/`),
    },
    {
      weight: 1,
      arbitrary: fc.constantFrom(`/${operation.path}`, `${operation.path}%2F`, operation.path.toUpperCase(), `${operation.path}..%2F..%2F`),
    },
  )
}

/** A request to `operation`, fitting or mutated; `accessToken` authorises most requests to protected operations. */
export function requestTo(doc: OpenApiDocument, operation: Operation, accessToken: string): fc.Arbitrary<FuzzRequest> {
  const body: fc.Arbitrary<string | undefined> = operation.body
    ? fc.oneof({
        weight: 6,
        arbitrary: bodyFor(doc, operation.body).chain(serialised),
      }, { weight: 1, arbitrary: rawBody }, {
        weight: 1,
        arbitrary: fc.constant(undefined),
      })
    : fc.oneof({
        weight: 4,
        arbitrary: fc.constant(undefined),
      }, { weight: 1, arbitrary: rawBody })
  return fc.record({
    method: fc.oneof({
      weight: 9,
      arbitrary: fc.constant(operation.method),
    }, {
      weight: 1,
      arbitrary: fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'),
    }),
    path: pathFor(operation),
    query: queryFor(doc, operation),
    body,
    contentType,
    authorization: operation.secured
      ? authorization(accessToken)
      : fc.option(authorization(accessToken), { freq: 4 }),
    requestId: fc.option(nastyString.filter(value => /^[\t\x20-\x7E]*$/.test(value)), { freq: 2 }),
  }).map(({ method, path, query, body, contentType, authorization, requestId }) => {
    const headers: Record<string, string> = {}
    if (contentType !== undefined && body !== undefined)
      headers['Content-Type'] = contentType
    if (authorization)
      headers.Authorization = authorization
    if (requestId !== null)
      headers['X-Request-Id'] = requestId
    return {
      method,
      path: `${path}${query}`,
      headers,
      body: method === 'GET'
        ? undefined
        : body,
    }
  })
}

/** Paths no operation has, and methods no operation takes. */
export const strayRequest: fc.Arbitrary<FuzzRequest> = fc.record({
  method: fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'),
  path: fc.oneof(
    fc.webPath(),
    fc.array(nastyString.map(percentEncode), { minLength: 1, maxLength: 4 }).map(segments => `/${segments.join('/')}`),
    fc.constantFrom('/users', '/users/', '/users/auth/', '/users/profile/update/x/', '/.well-known/', '/%', '/%E0%A4%A', `/${'a'.repeat(8_000)}`, '//', '/./users/profile/', '/users/profile/../auth/send_sms/'),
  ),
  body: fc.option(rawBody),
}).map(({ method, path, body }) => ({
  method,
  path: path.startsWith('/')
    ? path
    : `/${path}`,
  headers: { 'Content-Type': 'application/json' },
  body: method === 'GET' || body === null
    ? undefined
    : body,
}))
