import type { AppRouteHandler } from '../../lib/types'
import type { JwksRoute } from './jwks.routes'
import { loadSigningKeys } from '../../domain/signing-keys'
import { createRouter } from '../../lib/create-app'
import { jwks as jwksRoute } from './jwks.routes'

const jwks: AppRouteHandler<JwksRoute> = async (c) => {
  const keys = await loadSigningKeys(c.var.services.config.JWT_PRIVATE_KEYS)
  c.header('Cache-Control', 'public, max-age=300')
  return c.json(keys.jwks as never, 200)
}

export const jwksRouter = createRouter().openapi(jwksRoute, jwks)
