import type { WebBindings } from '../../web/bindings'
import { Hono } from 'hono'
import { webSecurityHeaders } from '../../middleware/security-headers'
import { ACTIVATE_REFERRAL_PATH, DELETE_ACCOUNT_PATH, DELETION_CODE_PATH, END_OTHER_SESSIONS_PATH, END_SESSION_PATH, PHONE_CHANGE_CODE_PATH, PHONE_CHANGE_PATH, PROFILE_PATH, RESEND_CODE_PATH, SEND_CODE_PATH, SIGN_OUT_PATH, SIGNED_OUT_PATH, VERIFY_CODE_PATH, WEB_ROOT } from '../../web/paths'
import { requireWebUser } from '../../web/session'
import { activateReferralCode, changePhoneNumber, deleteAccount, endAllOtherSessions, endOtherSession, saveProfile, sendDeletionCode, sendPhoneChangeCode, showProfile, showSignedOut, signOut } from './profile.handlers'
import { resendCode, sendCode, showSendCodeForm, showVerifyCodeForm, verifyCode } from './sign-in.handlers'
import { errorPages, language, sameOriginForms } from './web.middleware'

/**
 * The web interface for trying the service: server-rendered pages with plain HTML forms (no script needed), which
 * call the same services as the API. HTML, not API, so these routes are not in the OpenAPI document.
 */
export const webRouter = new Hono<WebBindings>()
  .use(`${WEB_ROOT}*`, webSecurityHeaders, language, errorPages, sameOriginForms)
  .get(WEB_ROOT, c => c.redirect(SEND_CODE_PATH, 303))
  .get(SEND_CODE_PATH, showSendCodeForm)
  .post(SEND_CODE_PATH, sendCode)
  .get(VERIFY_CODE_PATH, showVerifyCodeForm)
  .post(VERIFY_CODE_PATH, verifyCode)
  .post(RESEND_CODE_PATH, resendCode)
  .post(SIGN_OUT_PATH, signOut)
  .get(SIGNED_OUT_PATH, showSignedOut)
  .get(PROFILE_PATH, requireWebUser, showProfile)
  .post(PROFILE_PATH, requireWebUser, saveProfile)
  .post(ACTIVATE_REFERRAL_PATH, requireWebUser, activateReferralCode)
  .post(END_SESSION_PATH, requireWebUser, endOtherSession)
  .post(END_OTHER_SESSIONS_PATH, requireWebUser, endAllOtherSessions)
  .post(DELETION_CODE_PATH, requireWebUser, sendDeletionCode)
  .post(DELETE_ACCOUNT_PATH, requireWebUser, deleteAccount)
  .post(PHONE_CHANGE_CODE_PATH, requireWebUser, sendPhoneChangeCode)
  .post(PHONE_CHANGE_PATH, requireWebUser, changePhoneNumber)
