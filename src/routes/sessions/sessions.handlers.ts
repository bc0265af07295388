import type { AppRouteHandler } from '../../lib/types'
import type { EndOtherSessionsRoute, EndSessionRoute, ListSessionsRoute } from './sessions.routes'
import { endOtherSessionsById, endSessionById, listSessions as loadSessions } from '../../services/sessions'

export const listSessions: AppRouteHandler<ListSessionsRoute> = async (c) => {
  return c.json({ sessions: await loadSessions(c.var.services, c.var.userId, c.var.sessionId) }, 200)
}

export const endSession: AppRouteHandler<EndSessionRoute> = async (c) => {
  await endSessionById(c.var.services, c.var.userId, c.req.valid('param').id)
  return c.body(null, 204)
}

export const endOtherSessions: AppRouteHandler<EndOtherSessionsRoute> = async (c) => {
  await endOtherSessionsById(c.var.services, c.var.userId, c.var.sessionId)
  return c.body(null, 204)
}
