import { createRoute, z } from '@hono/zod-openapi'
import { DatabaseUnavailable, SessionNotFound, Unauthenticated, UserNotFound, ValidationFailed } from '../../lib/errors'
import { requireUser } from '../../middleware/require-user'
import { problemResponses } from '../schemas/problem'

const tags = ['Sessions']
const security = [
  { bearerAuth: [] },
]

const SessionSchema = z.object({
  id: z.uuid().openapi({ description: 'The session\'s id; DELETE /users/sessions/{id} ends it.', example: '0b9c3f4e-5d6a-4b7c-8d9e-0f1a2b3c4d5e' }),
  device: z.string().nullable().openapi({ description: 'A coarse label of the device it was signed in on, from its User-Agent at sign-in; null when that named no known browser or system. Never the User-Agent itself or an address.', example: 'Chrome on Android' }),
  created_at: z.iso.datetime().openapi({ description: 'When it was signed in.', example: '2026-11-20T08:15:00.000Z' }),
  last_used_at: z.iso.datetime().openapi({ description: 'Its latest sign-in or refresh.', example: '2026-11-26T09:40:12.000Z' }),
  current: z.boolean().openapi({ description: 'The session of the access token that asked.', example: true }),
}).openapi('Session')

export const listSessions = createRoute({
  method: 'get',
  path: '/users/sessions/',
  tags,
  security,
  middleware: [requireUser] as const,
  summary: 'Where you are signed in',
  description: 'Every live session (a sign-in whose refresh token still works), most recently used first; the one of the asking access token is marked `current`.',
  responses: {
    200: {
      description: 'Your live sessions.',
      content: {
        'application/json': {
          schema: z.object({
            sessions: z.array(SessionSchema),
          }).openapi('SessionList'),
        },
      },
    },
    ...problemResponses('/users/sessions/', {
      401: [Unauthenticated, UserNotFound],
      503: [DatabaseUnavailable],
    }),
  },
})

export const endSession = createRoute({
  method: 'delete',
  path: '/users/sessions/{id}/',
  tags,
  security,
  middleware: [requireUser] as const,
  summary: 'Sign one of your sessions out',
  description: 'Its refresh tokens stop working at once; access tokens already issued to it stay valid until they expire (at most ACCESS_TOKEN_TTL_SECONDS). Your current session may be ended too. To end every other session, use DELETE /users/sessions/; to end every session, logout with `all: true`.',
  request: {
    params: z.object({
      id: z.uuid('A session id from GET /users/sessions/').openapi({
        param: { name: 'id', in: 'path' },
        example: '0b9c3f4e-5d6a-4b7c-8d9e-0f1a2b3c4d5e',
      }),
    }),
  },
  responses: {
    204: { description: 'The session is signed out.' },
    ...problemResponses('/users/sessions/{id}/', {
      400: [ValidationFailed],
      401: [Unauthenticated],
      404: [SessionNotFound],
      503: [DatabaseUnavailable],
    }, {
      404: 'You have no live session with this id: unknown, already ended, or another user\'s (these look the same).',
    }),
  },
})

export const endOtherSessions = createRoute({
  method: 'delete',
  path: '/users/sessions/',
  tags,
  security,
  middleware: [requireUser] as const,
  summary: 'Sign out every other session',
  description: 'Every session but the one of the asking access token ends at once, as if each had signed out: for a lost, sold or shared device. The asking session carries on. Idempotent.',
  responses: {
    204: { description: 'Every other session is signed out.' },
    ...problemResponses('/users/sessions/', {
      401: [Unauthenticated],
      503: [DatabaseUnavailable],
    }),
  },
})

export type ListSessionsRoute = typeof listSessions
export type EndSessionRoute = typeof endSession
export type EndOtherSessionsRoute = typeof endOtherSessions
