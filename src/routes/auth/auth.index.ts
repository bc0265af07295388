import { createRouter } from '../../lib/create-app'
import * as handlers from './auth.handlers'
import * as routes from './auth.routes'

export const authRouter = createRouter()
  .openapi(routes.sendSms, handlers.sendSms)
  .openapi(routes.verifySms, handlers.verifySms)
  .openapi(routes.refresh, handlers.refresh)
  .openapi(routes.logout, handlers.logout)
