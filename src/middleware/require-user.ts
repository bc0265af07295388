import type { MiddlewareHandler } from 'hono'
import type { AppBindings } from '../lib/types'
import { Unauthenticated } from '../lib/errors'
import { authenticateAccessToken } from '../services/tokens'

/** Admits requests with a valid `Authorization: Bearer <access token>` and records whose they are. */
export const requireUser: MiddlewareHandler<AppBindings> = async (c, next) => {
  const header = c.req.header('Authorization')
  if (!header)
    throw new Unauthenticated('Send the access token as `Authorization: Bearer <token>`.')
  const match = /^Bearer +(\S+)$/i.exec(header)
  if (!match)
    throw new Unauthenticated('The Authorization header must be `Bearer <token>`.', 'invalid_request')
  const { userId, sessionId } = await authenticateAccessToken(c.var.services, match[1]!)
  c.set('userId', userId)
  c.set('sessionId', sessionId)
  await next()
}
