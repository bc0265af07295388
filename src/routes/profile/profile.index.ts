import { createRouter } from '../../lib/create-app'
import * as handlers from './profile.handlers'
import * as routes from './profile.routes'

export const profileRouter = createRouter()
  .openapi(routes.getProfile, handlers.getProfile)
  .openapi(routes.listReferrals, handlers.listReferrals)
  .openapi(routes.updateProfile, handlers.updateProfile)
  .openapi(routes.deleteAccount, handlers.deleteAccount)
  .openapi(routes.sendPhoneChangeCode, handlers.sendPhoneChangeCode)
  .openapi(routes.changePhoneNumber, handlers.changePhoneNumber)
