import { z } from '@hono/zod-openapi'
import { PROBLEM_CONTENT_TYPE } from '../../lib/problem'

export const ProblemSchema = z.object({
  type: z.string().openapi({ example: 'urn:phone-auth:problem:validation_failed' }),
  title: z.string().openapi({ example: 'Your request is not valid' }),
  status: z.number().int().openapi({ example: 400 }),
  detail: z.string().openapi({ example: 'phone_number: Enter a valid phone number in international format, e.g. +79123456789' }),
  instance: z.string().openapi({ example: '/users/auth/send_sms/' }),
  code: z.string().openapi({ description: 'Stable machine-readable error code; the last segment of `type`.', example: 'validation_failed' }),
  errors: z.array(z.object({
    path: z.string().openapi({ example: 'phone_number' }),
    message: z.string().openapi({ example: 'Enter a valid phone number in international format, e.g. +79123456789' }),
  })).optional().openapi({ description: 'Which fields are wrong and why (validation problems).' }),
  retry_after: z.number().int().optional().openapi({ description: 'Seconds until the request may be repeated (429); the same as the `Retry-After` header.', example: 42 }),
  request_id: z.string().optional().openapi({ description: 'Also in the X-Request-Id header and the service\'s log line for this request.', example: '3f1c2a9e-7b1d-4c55-9a4e-2d8f0b6c1e77' }),
}).openapi('Problem', { description: 'RFC 9457 problem details.' })

const DESCRIPTIONS = {
  400: 'The request is invalid; `errors` names each wrong field.',
  401: 'Missing, invalid or expired credentials (`WWW-Authenticate: Bearer`).',
  403: 'Refused: a required check was not passed.',
  404: 'Not found.',
  409: 'Conflicts with the current state.',
  413: 'The body is larger than 16 KB.',
  415: 'The body is not application/json.',
  422: 'Understood but refused by a rule.',
  429: 'Too many requests; see `Retry-After`.',
  502: 'An upstream provider failed; retry is safe.',
  503: 'A dependency is unavailable; see `Retry-After`.',
} as const

type ProblemStatus = keyof typeof DESCRIPTIONS

/** OpenAPI response entries for the problems an operation can answer with. */
export function problemResponses<S extends ProblemStatus>(statuses: Record<S, string | true>) {
  return Object.fromEntries(Object.entries(statuses).map(([status, description]) => [
    status,
    {
      description: description === true
        ? DESCRIPTIONS[Number(status) as ProblemStatus]
        : description as string,
      content: {
        [PROBLEM_CONTENT_TYPE]: { schema: ProblemSchema },
      },
    },
  ])) as Record<S, { description: string, content: { 'application/problem+json': { schema: typeof ProblemSchema } } }>
}
