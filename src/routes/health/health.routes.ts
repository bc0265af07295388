import { createRoute, z } from '@hono/zod-openapi'

const CheckStatusSchema = z.enum(['ok', 'unavailable'])

const HealthSchema = z.object({
  status: CheckStatusSchema.openapi({ description: '`ok` when every dependency answers.', example: 'ok' }),
  checks: z.object({
    database: CheckStatusSchema.openapi({ description: 'Postgres answers a trivial query.', example: 'ok' }),
    durable_objects: CheckStatusSchema.openapi({ description: 'Durable Objects (sign-in codes and limits) answer a call that stores nothing.', example: 'ok' }),
  }),
}).openapi('Health')

export const health = createRoute({
  method: 'get',
  path: '/health/',
  tags: ['Operations'],
  summary: 'Whether the database and Durable Objects answer',
  description: 'For load balancers and monitors: one trivial query and one Durable Object call that stores nothing, side by side. Never cached; no error details.',
  responses: {
    200: {
      description: 'Every dependency answers.',
      content: {
        'application/json': { schema: HealthSchema },
      },
    },
    503: {
      description: 'A dependency does not answer; `checks` says which. `Retry-After` suggests when to look again.',
      content: {
        'application/json': { schema: HealthSchema },
      },
    },
  },
})

export type HealthRoute = typeof health
