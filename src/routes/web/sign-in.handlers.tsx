import type { WebContext } from '../../web/bindings'
import { deviceLabel } from '../../domain/device-label'
import { maskPhoneNumber } from '../../domain/phone-number'
import { clientKeyOf, signInClientOf } from '../../lib/client-key'
import { sendSignInCode, verifySignInCode } from '../../services/sign-in'
import { authenticateAccessToken } from '../../services/tokens'
import { clearPendingSignIn, readPendingSignIn, readSessionCookies, setPendingSignIn, setSessionCookies } from '../../web/cookies'
import { validationErrors } from '../../web/form-errors'
import { formatPhoneNumber } from '../../web/format'
import { SendCodePage } from '../../web/pages/send-code-page'
import { VerifyCodePage } from '../../web/pages/verify-code-page'
import { PROFILE_PATH, SEND_CODE_PATH, VERIFY_CODE_PATH, withQuery } from '../../web/paths'
import { sendSms as sendSmsRoute, verifySms as verifySmsRoute } from '../auth/auth.routes'
import { formText, referralCodeFrom, refusal, turnstileTokenOf } from './form'
import { pageContext, render } from './web.middleware'

// The forms are checked with the API's own request schemas, so the web interface accepts exactly what the API does.
const sendSmsBody = sendSmsRoute.request.body.content['application/json'].schema
const verifySmsBody = verifySmsRoute.request.body.content['application/json'].schema

function sendCodePageContext(c: WebContext, ref: string | undefined) {
  return pageContext(c, withQuery(SEND_CODE_PATH, { ref }))
}

export async function showSendCodeForm(c: WebContext) {
  const ref = referralCodeFrom(c.req.query('ref'))
  // Someone already signed in (e.g. following a friend's link) goes straight to their profile, code pre-filled.
  const { access } = readSessionCookies(c)
  if (access && await authenticateAccessToken(c.var.services, access).catch(() => null))
    return c.redirect(withQuery(PROFILE_PATH, { ref }), 303)
  return render(c, <SendCodePage page={sendCodePageContext(c, ref)} referralCode={ref} />)
}

export async function sendCode(c: WebContext) {
  const form = await c.req.parseBody()
  const phoneInput = formText(form, 'phone_number')
  const ref = referralCodeFrom(formText(form, 'ref'))
  const { services, t } = c.var
  const codeLength = services.config.OTP_LENGTH
  const refuse = (errors: Record<string, string>, status: number) =>
    render(c, <SendCodePage page={sendCodePageContext(c, ref)} phone={phoneInput} referralCode={ref} errors={errors} />, status)

  const parsed = sendSmsBody.safeParse({ phone_number: phoneInput })
  if (!parsed.success)
    return refuse(validationErrors(parsed.error, t, codeLength), 400)
  const phone = parsed.data.phone_number
  c.var.request.phone = maskPhoneNumber(phone)
  let sent
  try {
    sent = await sendSignInCode(services, phone, signInClientOf(c, turnstileTokenOf(form)), 'phone_number', { locale: c.var.language })
  }
  catch (error) {
    const problem = refusal(c, error, 'phone_number')
    return refuse(problem.fields, problem.status)
  }
  setPendingSignIn(c, { phone, ref, verificationId: sent.verificationId }, services.config)
  return c.redirect(VERIFY_CODE_PATH, 303)
}

export function showVerifyCodeForm(c: WebContext) {
  const pending = readPendingSignIn(c)
  if (!pending)
    return c.redirect(SEND_CODE_PATH, 303)
  const page = (
    <VerifyCodePage
      page={pageContext(c, VERIFY_CODE_PATH)}
      phone={formatPhoneNumber(pending.phone)}
      codeLength={c.var.services.config.OTP_LENGTH}
      resent={c.req.query('resent') === '1'}
    />
  )
  return render(c, page)
}

export async function verifyCode(c: WebContext) {
  const pending = readPendingSignIn(c)
  if (!pending)
    return c.redirect(SEND_CODE_PATH, 303)
  const form = await c.req.parseBody()
  const { services, t } = c.var
  const codeLength = services.config.OTP_LENGTH
  const refuse = (errors: Record<string, string>, status: number) => render(c, (<VerifyCodePage page={pageContext(c, VERIFY_CODE_PATH)} phone={formatPhoneNumber(pending.phone)} codeLength={codeLength} errors={errors} />), status)

  const parsed = verifySmsBody.safeParse({
    phone_number: pending.phone,
    sms_code: formText(form, 'sms_code').trim(),
  })
  if (!parsed.success)
    return refuse(validationErrors(parsed.error, t, codeLength), 400)
  c.var.request.phone = maskPhoneNumber(parsed.data.phone_number)
  let signedIn
  try {
    signedIn = await verifySignInCode(services, parsed.data.phone_number, { code: parsed.data.sms_code, verificationId: pending.verificationId }, clientKeyOf(c), deviceLabel(c.req.header('User-Agent')))
  }
  catch (error) {
    const problem = refusal(c, error, 'sms_code')
    return refuse(problem.fields, problem.status)
  }
  c.set('userId', signedIn.user.id)
  setSessionCookies(c, signedIn, services.config)
  clearPendingSignIn(c)
  return c.redirect(withQuery(PROFILE_PATH, { ref: pending.ref }), 303)
}

/** "Send the code again": a new code to the same number, unless the cooldown (or a quota) says to wait. */
export async function resendCode(c: WebContext) {
  const pending = readPendingSignIn(c)
  if (!pending)
    return c.redirect(SEND_CODE_PATH, 303)
  const { services } = c.var
  const codeLength = services.config.OTP_LENGTH
  c.var.request.phone = maskPhoneNumber(pending.phone)
  let sent
  try {
    sent = await sendSignInCode(services, pending.phone, signInClientOf(c, turnstileTokenOf(await c.req.parseBody())), 'phone_number', { locale: c.var.language })
  }
  catch (error) {
    const problem = refusal(c, error, 'resend')
    return render(c, (<VerifyCodePage page={pageContext(c, VERIFY_CODE_PATH)} phone={formatPhoneNumber(pending.phone)} codeLength={codeLength} errors={problem.fields} />), problem.status)
  }
  // A fresh code lives for the full time again, and so does the form waiting for it.
  setPendingSignIn(c, { ...pending, verificationId: sent.verificationId }, services.config)
  return c.redirect(withQuery(VERIFY_CODE_PATH, { resent: '1' }), 303)
}
