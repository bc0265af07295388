import { createRoute, z } from '@hono/zod-openapi'

const JwkSchema = z.object({
  kty: z.enum(['EC', 'OKP']),
  crv: z.string().openapi({ example: 'P-256' }),
  x: z.string(),
  y: z.string().optional(),
  kid: z.string(),
  alg: z.enum(['ES256', 'EdDSA']),
  use: z.literal('sig'),
}).openapi('PublicJwk')

export const jwks = createRoute({
  method: 'get',
  path: '/.well-known/jwks.json',
  tags: ['Keys'],
  summary: 'Public keys that verify our access tokens',
  description: 'Other services verify access tokens with these keys (match the token header\'s `kid`). Several keys appear while one is being rotated out.',
  responses: {
    200: {
      description: 'The JSON Web Key Set.',
      content: {
        'application/json': {
          schema: z.object({
            keys: z.array(JwkSchema),
          }).openapi('Jwks'),
        },
      },
    },
  },
})

export type JwksRoute = typeof jwks
