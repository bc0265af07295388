import type { AppError } from '../../lib/errors'
import { z } from '@hono/zod-openapi'
import { PROBLEM_CONTENT_TYPE, problemBody } from '../../lib/problem'

const EXAMPLE_REQUEST_ID = '3f1c2a9e-7b1d-4c55-9a4e-2d8f0b6c1e77'

export const ProblemSchema = z.object({
  type: z.string().openapi({ example: 'urn:phone-auth:problem:validation_failed' }),
  title: z.string().openapi({ example: 'Your request is not valid' }),
  status: z.number().int().openapi({ example: 400 }),
  detail: z.string().openapi({ example: 'phone_number: Enter a valid phone number in international format, e.g. +79123456789' }),
  instance: z.string().openapi({ example: '/users/auth/send_sms/' }),
  code: z.string().openapi({ description: 'Stable machine-readable error code; the last segment of `type`. Each response names its codes in its examples.', example: 'validation_failed' }),
  errors: z.array(z.object({
    path: z.string().openapi({ example: 'phone_number' }),
    message: z.string().openapi({ example: 'Enter a valid phone number in international format, e.g. +79123456789' }),
  })).optional().openapi({ description: 'Which fields are wrong and why (validation problems).' }),
  retry_after: z.number().int().optional().openapi({ description: 'Seconds until the request may be repeated (429); the same as the `Retry-After` header.', example: 42 }),
  attempts_left: z.number().int().optional().openapi({ description: 'How many more guesses this sign-in code allows (`invalid_sms_code`, when a code is waiting). After the last wrong one the code is dead: request a new one.', example: 4 }),
  request_id: z.string().optional().openapi({ description: 'Also in the X-Request-Id header and the service\'s log line for this request.', example: EXAMPLE_REQUEST_ID }),
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

/** An error class of the catalogue (lib/errors.ts) whose problems have status S. */
interface ProblemClass<S extends ProblemStatus> {
  example: () => AppError & { status: S }
}

interface ProblemExample {
  summary: string
  value: ReturnType<typeof problemBody>
}

interface ProblemResponse {
  description: string
  content: {
    'application/problem+json': {
      schema: typeof ProblemSchema
      examples: Record<string, ProblemExample>
    }
  }
}

function problemExamples(classes: ProblemClass<ProblemStatus>[], path: string): Record<string, ProblemExample> {
  return Object.fromEntries(classes.map((problemClass) => {
    const error = problemClass.example()
    return [
      error.code,
      {
        summary: error.title,
        value: problemBody(error, path, EXAMPLE_REQUEST_ID),
      },
    ]
  }))
}

/**
 * OpenAPI response entries for the problems the operation at `path` can answer with: under each status, the error
 * classes that answer with it (the compiler refuses a class under another status), each shown by an example built
 * from the class itself. `descriptions` replaces a status's general description where the operation says more.
 */
export function problemResponses<S extends ProblemStatus>(
  path: string,
  problems: { [K in S]: ProblemClass<K>[] },
  descriptions: Partial<Record<S, string>> = {},
): Record<S, ProblemResponse> {
  const entries = Object.entries<ProblemClass<S>[]>(problems).map(([key, classes]) => {
    const status = Number(key) as S
    return [
      status,
      {
        description: descriptions[status] ?? DESCRIPTIONS[status],
        content: {
          [PROBLEM_CONTENT_TYPE]: {
            schema: ProblemSchema,
            // Built when the OpenAPI document is, not when an isolate starts: only /openapi.json reads them.
            get examples() {
              const examples = problemExamples(classes, path)
              Object.defineProperty(this, 'examples', { value: examples, enumerable: true })
              return examples
            },
          },
        },
      },
    ]
  })
  return Object.fromEntries(entries) as Record<S, ProblemResponse>
}
