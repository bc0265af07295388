import type { AppRouteHandler } from '../../lib/types'
import type { HealthRoute } from './health.routes'
import { createRouter, describeError } from '../../lib/create-app'
import { checkHealth } from '../../services/health'
import { health as healthRoute } from './health.routes'

const health: AppRouteHandler<HealthRoute> = async (c) => {
  const { health, failures } = await checkHealth(c.var.services)
  c.header('Cache-Control', 'no-store')
  if (health.status === 'ok')
    return c.json(health, 200)
  c.var.request.error = failures.map(describeError).join('; ')
  c.header('Retry-After', '5')
  return c.json(health, 503)
}

export const healthRouter = createRouter().openapi(healthRoute, health)
