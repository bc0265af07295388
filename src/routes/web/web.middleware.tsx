import type { MiddlewareHandler } from 'hono'
import type { JSX } from 'hono/jsx/jsx-runtime'
import type { WebBindings, WebContext } from '../../web/bindings'
import type { PageContext } from '../../web/layout'
import { csrf } from 'hono/csrf'
import { HTTPException } from 'hono/http-exception'
import { languageDetector } from 'hono/language'
import { PROBLEM_CONTENT_TYPE } from '../../lib/problem'
import { clearSessionCookies, LANGUAGE_COOKIE, rememberLanguage } from '../../web/cookies'
import { LANGUAGES, MESSAGES } from '../../web/i18n'
import { ErrorPage } from '../../web/pages/error-page'
import { SEND_CODE_PATH } from '../../web/paths'

/** Writes a page, with its doctype and status. */
export async function render(c: WebContext, page: JSX.Element, status = 200) {
  return c.html(`<!doctype html>${await page}`, status as 200)
}

export function pageContext(c: WebContext, canonical: string, signedIn = false): PageContext {
  return {
    t: c.var.t,
    language: c.var.language,
    canonical,
    signedIn,
    humanCheckSiteKey: c.var.services.config.TURNSTILE_SITE_KEY,
  }
}

const detectLanguage = languageDetector({
  supportedLanguages: [...LANGUAGES],
  fallbackLanguage: 'en',
  order: ['querystring', 'cookie', 'header'],
  lookupQueryString: 'lang',
  lookupCookie: LANGUAGE_COOKIE,
  caches: false,
})

/** ?lang= (the switch, then remembered), else the remembered choice, else the browser's Accept-Language. */
export const language: MiddlewareHandler<WebBindings> = async (c, next) => {
  await detectLanguage(c, async () => {
    const chosen = c.get('language') as typeof LANGUAGES[number]
    c.set('t', MESSAGES[chosen])
    if (c.req.query('lang') === chosen)
      rememberLanguage(c, chosen)
    await next()
  })
}

const checkOrigin = csrf()
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])
/** What an HTML form sends. hono/csrf checks only the types a cross-site form can send, so any other body skipped it. */
const FORM_BODY = /^(?:application\/x-www-form-urlencoded|multipart\/form-data)\s*(?:;|$)/i

/**
 * Cross-site request forgery: a form is accepted only from a page of this origin (Sec-Fetch-Site or Origin, as
 * hono/csrf checks them), on top of the SameSite=Lax cookies. A body that is not a form (JSON, text) is refused with
 * 415 before that: it would have skipped the origin check, and its fields, unread, were saved as empty ones. A
 * refused form gets a page saying what to do.
 */
export const sameOriginForms: MiddlewareHandler<WebBindings> = async (c, next) => {
  const { t } = c.var
  if (!SAFE_METHODS.has(c.req.method) && !FORM_BODY.test(c.req.header('Content-Type') ?? ''))
    return render(c, <ErrorPage page={pageContext(c, SEND_CODE_PATH)} title={t.forbiddenTitle} message={t.badRequest} />, 415)
  try {
    await checkOrigin(c, async () => {})
  }
  catch (error) {
    if (!(error instanceof HTTPException) || error.status !== 403)
      throw error
    return render(c, <ErrorPage page={pageContext(c, SEND_CODE_PATH)} title={t.forbiddenTitle} message={t.forbidden} />, 403)
  }
  await next()
}

/**
 * What the app's error handler turned into problem+json (the failure is logged there, once) becomes a page in the
 * reader's language, with the same status and headers such as Retry-After; so does the app's 404 for an address
 * under /users/web/ with no page. A session that turned out to be gone (the account was deleted, say) leads back
 * to sign-in instead.
 */
export const errorPages: MiddlewareHandler<WebBindings> = async (c, next) => {
  await next()
  const { status } = c.res
  const { t } = c.var
  const context = pageContext(c, SEND_CODE_PATH)
  if (!c.error) {
    if (status === 404 && c.res.headers.get('Content-Type') === PROBLEM_CONTENT_TYPE)
      c.res = await render(c, <ErrorPage page={context} title={t.notFoundTitle} message={t.notFound} />, 404)
    return
  }
  if (status === 401) {
    clearSessionCookies(c)
    c.res = c.redirect(SEND_CODE_PATH, 303)
    return
  }
  const message = status === 503
    ? t.unavailable
    : status < 500
      ? t.badRequest
      : t.unexpected
  c.res = await render(c, <ErrorPage page={context} title={t.errorTitle} message={message} requestId={c.var.request?.requestId} />, status)
}
