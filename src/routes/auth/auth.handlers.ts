import type { Channel } from '../../integrations/sms/code-sender'
import type { AppRouteHandler } from '../../lib/types'
import type { LogoutRoute, RefreshRoute, SendSmsRoute, VerifySmsRoute } from './auth.routes'
import { deviceLabel } from '../../domain/device-label'
import { maskPhoneNumber } from '../../domain/phone-number'
import { chooseLocale } from '../../integrations/sms/locales'
import { clientKeyOf, signInClientOf } from '../../lib/client-key'
import { endSession, refreshSession } from '../../services/sessions'
import { sendSignInCode, verifySignInCode } from '../../services/sign-in'

const SENT: Record<Channel, string> = {
  sms: 'A sign-in code has been sent by SMS.',
  whatsapp: 'A sign-in code has been sent by WhatsApp.',
  telegram: 'A sign-in code has been sent in Telegram.',
}

export const sendSms: AppRouteHandler<SendSmsRoute> = async (c) => {
  const { phone_number, turnstile_token, channel, locale } = c.req.valid('json')
  c.var.request.phone = maskPhoneNumber(phone_number)
  const { services } = c.var
  const { expiresIn, verificationId, channel: sentBy } = await sendSignInCode(services, phone_number, signInClientOf(c, turnstile_token), 'phone_number', {
    channel,
    locale: chooseLocale(locale, c.req.header('Accept-Language'), services.config.SMS_DEFAULT_LOCALE),
  })
  return c.json({
    detail: SENT[sentBy],
    phone_number,
    expires_in: expiresIn,
    verification_id: verificationId,
  }, 202)
}

export const verifySms: AppRouteHandler<VerifySmsRoute> = async (c) => {
  const { phone_number, sms_code, verification_id } = c.req.valid('json')
  c.var.request.phone = maskPhoneNumber(phone_number)
  const device = deviceLabel(c.req.header('User-Agent'))
  return c.json(await verifySignInCode(c.var.services, phone_number, { code: sms_code, verificationId: verification_id }, clientKeyOf(c), device), 200)
}

export const refresh: AppRouteHandler<RefreshRoute> = async (c) => {
  return c.json(await refreshSession(c.var.services, c.req.valid('json').refresh, c.var.request), 200)
}

export const logout: AppRouteHandler<LogoutRoute> = async (c) => {
  const { refresh, all } = c.req.valid('json')
  await endSession(c.var.services, refresh, all)
  return c.body(null, 204)
}
