import { createRouter } from '../../lib/create-app'
import * as handlers from './server.handlers'
import * as routes from './server.routes'

export const serverRouter = createRouter()
  .openapi(routes.getUser, handlers.getUser)
  .openapi(routes.findUser, handlers.findUser)
  .openapi(routes.listLedger, handlers.listLedger)
  .openapi(routes.createTransaction, handlers.createTransaction)
  .openapi(routes.qualifyReferral, handlers.qualifyReferral)
  .openapi(routes.voidReferral, handlers.voidReferral)
  .openapi(routes.listReferrals, handlers.listReferrals)
