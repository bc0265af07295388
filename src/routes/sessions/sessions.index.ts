import { createRouter } from '../../lib/create-app'
import * as handlers from './sessions.handlers'
import * as routes from './sessions.routes'

export const sessionsRouter = createRouter()
  .openapi(routes.listSessions, handlers.listSessions)
  .openapi(routes.endSession, handlers.endSession)
  .openapi(routes.endOtherSessions, handlers.endOtherSessions)
