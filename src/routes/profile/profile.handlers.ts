import type { AppRouteHandler } from '../../lib/types'
import type { ChangePhoneNumberRoute, DeleteAccountRoute, GetProfileRoute, ListReferralsRoute, SendPhoneChangeCodeRoute, UpdateProfileRoute } from './profile.routes'
import { maskPhoneNumber } from '../../domain/phone-number'
import { chooseLocale } from '../../integrations/sms/locales'
import { clientKeyOf, signInClientOf } from '../../lib/client-key'
import { moveToPhoneNumber, deleteAccount as removeAccount } from '../../services/account'
import { editProfile, getProfile as loadProfile, listReferrals as loadReferrals } from '../../services/profile'
import { sendSignInCode } from '../../services/sign-in'

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
  }, clientKeyOf(c))
  return c.json(profile, 200)
}

export const deleteAccount: AppRouteHandler<DeleteAccountRoute> = async (c) => {
  const { sms_code, verification_id } = c.req.valid('json')
  await removeAccount(c.var.services, c.var.userId, { code: sms_code, verificationId: verification_id }, clientKeyOf(c))
  return c.body(null, 204)
}

export const sendPhoneChangeCode: AppRouteHandler<SendPhoneChangeCodeRoute> = async (c) => {
  const { new_phone_number, turnstile_token } = c.req.valid('json')
  c.var.request.phone = maskPhoneNumber(new_phone_number)
  const { expiresIn, verificationId } = await sendSignInCode(c.var.services, new_phone_number, signInClientOf(c, turnstile_token), 'new_phone_number', {
    locale: chooseLocale(undefined, c.req.header('Accept-Language'), c.var.services.config.SMS_DEFAULT_LOCALE),
  })
  return c.json({
    detail: 'A code has been sent by SMS to the new number.',
    phone_number: new_phone_number,
    expires_in: expiresIn,
    verification_id: verificationId,
  }, 202)
}

export const changePhoneNumber: AppRouteHandler<ChangePhoneNumberRoute> = async (c) => {
  const { new_phone_number, sms_code, verification_id } = c.req.valid('json')
  c.var.request.phone = maskPhoneNumber(new_phone_number)
  const profile = await moveToPhoneNumber(c.var.services, c.var.userId, new_phone_number, { code: sms_code, verificationId: verification_id }, clientKeyOf(c), c.var.sessionId)
  return c.json(profile, 200)
}
