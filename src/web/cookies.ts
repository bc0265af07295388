import type { CookieOptions } from 'hono/utils/cookie'
import type { Config } from '../config'
import type { E164 } from '../domain/phone-number'
import type { TokenPair } from '../services/tokens'
import type { WebContext } from './bindings'
import type { Language } from './i18n'
import { deleteCookie, getCookie, setCookie } from 'hono/cookie'
import { parseE164 } from '../domain/phone-number'
import { VERIFICATION_ID_PATTERN } from '../domain/sign-in-code'
import { AUTH_ROOT, WEB_ROOT } from './paths'

// The web session holds the API's own tokens, in cookies that page scripts cannot read (HttpOnly), that other sites
// cannot send along with their forms (SameSite=Lax, plus the origin check on every form), and that go only to the
// web pages' paths: the API itself still takes bearer tokens only.
const ACCESS_COOKIE = 'access_token'
const REFRESH_COOKIE = 'refresh_token'
const SIGN_IN_COOKIE = 'sign_in'
export const LANGUAGE_COOKIE = 'lang'
const ONE_YEAR = 365 * 24 * 60 * 60

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]'])

/** Secure everywhere except plain http on this machine, where a browser could not send a Secure cookie back. */
function isLocalHttp(url: string): boolean {
  const { protocol, hostname } = new URL(url)
  return protocol === 'http:' && LOCAL_HOSTS.has(hostname)
}

function options(c: WebContext, path: string, maxAge?: number): CookieOptions {
  return {
    path,
    httpOnly: true,
    secure: !isLocalHttp(c.req.url),
    sameSite: 'Lax',
    ...(maxAge === undefined
      ? {}
      : { maxAge }),
  }
}

export function readSessionCookies(c: WebContext): { access?: string, refresh?: string } {
  return {
    access: getCookie(c, ACCESS_COOKIE),
    refresh: getCookie(c, REFRESH_COOKIE),
  }
}

export function setSessionCookies(c: WebContext, pair: TokenPair, config: Config): void {
  setCookie(c, ACCESS_COOKIE, pair.access, options(c, WEB_ROOT, pair.expires_in))
  setCookie(c, REFRESH_COOKIE, pair.refresh, options(c, WEB_ROOT, config.REFRESH_TOKEN_TTL_SECONDS))
}

export function clearSessionCookies(c: WebContext): void {
  deleteCookie(c, ACCESS_COOKIE, options(c, WEB_ROOT))
  deleteCookie(c, REFRESH_COOKIE, options(c, WEB_ROOT))
}

/** Between "send me a code" and "here is the code": the number, and the inviter's code from a share link. */
export interface PendingSignIn {
  phone: E164
  ref?: string
  /** The code's verification id: the form's guesses draw on that code's own attempts. */
  verificationId?: string
}

export function setPendingSignIn(c: WebContext, pending: PendingSignIn, config: Config): void {
  const value = new URLSearchParams({
    phone: pending.phone,
    ...(pending.ref
      ? { ref: pending.ref }
      : {}),
    ...(pending.verificationId
      ? { verification: pending.verificationId }
      : {}),
  })
  setCookie(c, SIGN_IN_COOKIE, value.toString(), options(c, AUTH_ROOT, config.OTP_TTL_SECONDS))
}

export function readPendingSignIn(c: WebContext): PendingSignIn | undefined {
  const value = new URLSearchParams(getCookie(c, SIGN_IN_COOKIE) ?? '')
  // Parsed again like any input: the cookie is the client's to change, and every spelling must be the one number.
  const phone = parseE164(value.get('phone') ?? '')
  // A changed id can only point at no code: the services refuse it without counting a guess.
  const verificationId = VERIFICATION_ID_PATTERN.exec(value.get('verification') ?? '')?.[0]
  return phone
    ? { phone, ref: value.get('ref') ?? undefined, verificationId }
    : undefined
}

export function clearPendingSignIn(c: WebContext): void {
  deleteCookie(c, SIGN_IN_COOKIE, options(c, AUTH_ROOT))
}

/** Set only when the reader picks a language; otherwise each request follows the browser's Accept-Language. */
export function rememberLanguage(c: WebContext, language: Language): void {
  setCookie(c, LANGUAGE_COOKIE, language, options(c, WEB_ROOT, ONE_YEAR))
}
