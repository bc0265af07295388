import type { AppRouteHandler } from '../../lib/types'
import type { GetProfileRoute, UpdateProfileRoute } from './profile.routes'
import { editProfile, getProfile as loadProfile } from '../../services/profile'

export const getProfile: AppRouteHandler<GetProfileRoute> = async (c) => {
  return c.json(await loadProfile(c.var.services, c.var.userId), 200)
}

export const updateProfile: AppRouteHandler<UpdateProfileRoute> = async (c) => {
  const body = c.req.valid('json')
  const profile = await editProfile(c.var.services, c.var.userId, {
    firstName: body.first_name,
    lastName: body.last_name,
    email: body.email,
    inviterReferralCode: body.inviter_referral_code,
  })
  return c.json(profile, 200)
}
