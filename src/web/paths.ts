// The web interface's addresses, kept where the original service had them (/users/web/...).
export const WEB_ROOT = '/users/web/'
export const AUTH_ROOT = '/users/web/auth/'
export const SEND_CODE_PATH = '/users/web/auth/send_sms/'
export const VERIFY_CODE_PATH = '/users/web/auth/verify_sms/'
export const RESEND_CODE_PATH = '/users/web/auth/verify_sms/resend/'
export const SIGN_OUT_PATH = '/users/web/auth/logout/'
export const SIGNED_OUT_PATH = '/users/web/auth/signed_out/'
export const PROFILE_PATH = '/users/web/profile/'
export const ACTIVATE_REFERRAL_PATH = '/users/web/profile/referral/'
export const END_SESSION_PATH = '/users/web/profile/sessions/end/'
export const END_OTHER_SESSIONS_PATH = '/users/web/profile/sessions/end_others/'
export const DELETION_CODE_PATH = '/users/web/profile/delete/code/'
export const DELETE_ACCOUNT_PATH = '/users/web/profile/delete/'
export const PHONE_CHANGE_CODE_PATH = '/users/web/profile/phone/'
export const PHONE_CHANGE_PATH = '/users/web/profile/phone/verify/'

/** A path with query parameters, leaving out the empty ones. */
export function withQuery(path: string, params: Record<string, string | undefined>): string {
  const query = new URLSearchParams()
  for (const [name, value] of Object.entries(params)) {
    if (value)
      query.set(name, value)
  }
  const search = query.toString()
  return search
    ? `${path}?${search}`
    : path
}
