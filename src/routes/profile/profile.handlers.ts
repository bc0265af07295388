import type { AppRouteHandler } from '../../lib/types'
import type { DeleteAccountRoute, GetProfileRoute, ListReferralsRoute, UpdateProfileRoute } from './profile.routes'
import { clientKeyOf } from '../../lib/client-key'
import { deleteAccount as removeAccount } from '../../services/account'
import { editProfile, getProfile as loadProfile, listReferrals as loadReferrals } from '../../services/profile'

export const getProfile: AppRouteHandler<GetProfileRoute> = async (c) => {
  return c.json(await loadProfile(c.var.services, c.var.userId), 200)
}

export const listReferrals: AppRouteHandler<ListReferralsRoute> = async (c) => {
  const { limit, cursor } = c.req.valid('query')
  return c.json(await loadReferrals(c.var.services, c.var.userId, limit, cursor), 200)
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

export const deleteAccount: AppRouteHandler<DeleteAccountRoute> = async (c) => {
  const { sms_code, verification_id } = c.req.valid('json')
  await removeAccount(c.var.services, c.var.userId, { code: sms_code, verificationId: verification_id }, clientKeyOf(c))
  return c.body(null, 204)
}
