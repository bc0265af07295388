import { z } from '@hono/zod-openapi'
import { UserSchema } from './user'

export const TokenPairSchema = z.object({
  access: z.string().openapi({ description: 'JWT access token (ES256), valid for `expires_in` seconds.', example: 'eyJhbGciOiJFUzI1NiIsImtpZCI6Ii4uLiJ9...' }),
  refresh: z.string().openapi({ description: 'Opaque refresh token; single use, rotated on every refresh.', example: 'mJ2xq7Gd1c0f3WqkZ4u7yX6Lr9pA0bC2dE5fH8iJkLm' }),
  token_type: z.literal('Bearer'),
  expires_in: z.number().int().openapi({ example: 900 }),
}).openapi('TokenPair')

export const SignInSchema = TokenPairSchema.extend({
  is_new_user: z.boolean().openapi({ description: 'True when this sign-in created the account.', example: true }),
  user: UserSchema,
}).openapi('SignIn')

const RefreshTokenField = z.string().min(1).max(512).openapi({ example: 'mJ2xq7Gd1c0f3WqkZ4u7yX6Lr9pA0bC2dE5fH8iJkLm' })

export const RefreshTokenBodySchema = z.strictObject({
  refresh: RefreshTokenField,
}).openapi('RefreshTokenRequest')

// Its own object rather than an extension: OpenAPI would render that as an allOf of two closed objects, which no
// body can satisfy.
export const LogoutBodySchema = z.strictObject({
  refresh: RefreshTokenField,
  all: z.boolean().default(false).openapi({
    description: 'Sign out everywhere: revoke every session of this refresh token\'s owner, not only this one.',
    example: false,
  }),
}).openapi('LogoutRequest')
