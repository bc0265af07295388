import type { MiddlewareHandler } from 'hono'
import type { AppBindings } from '../lib/types'
import { secureHeaders } from 'hono/secure-headers'
import { TURNSTILE_ORIGIN } from '../integrations/turnstile/turnstile-verifier'

const SELF = ['\'self\'']

/**
 * Everything a page may load comes from this origin, and nothing may run inline: scripts and styles are
 * same-origin files (public/static/), so an injected <script> or style attribute does nothing.
 */
const STRICT_POLICY = {
  defaultSrc: SELF,
  scriptSrc: SELF,
  styleSrc: SELF,
  imgSrc: [...SELF, 'data:'],
  connectSrc: SELF,
  fontSrc: SELF,
  objectSrc: ['\'none\''],
  baseUri: ['\'none\''],
  formAction: SELF,
  frameAncestors: ['\'none\''],
}

function htmlSecurityHeaders(policy: typeof STRICT_POLICY & { workerSrc?: string[], frameSrc?: string[] }): MiddlewareHandler {
  return secureHeaders({
    contentSecurityPolicy: policy,
    xFrameOptions: 'DENY',
    referrerPolicy: 'no-referrer',
    // The pages link to nothing cross-origin and are never embedded; the defaults keep it that way.
  })
}

/** For the web interface and Swagger UI: the strict policy, with no exception. */
export const strictSecurityHeaders = htmlSecurityHeaders(STRICT_POLICY)

/** With Cloudflare Turnstile on, the sign-in forms run its script, which draws the challenge in a frame of its own. */
const humanCheckSecurityHeaders = htmlSecurityHeaders({
  ...STRICT_POLICY,
  scriptSrc: [...SELF, TURNSTILE_ORIGIN],
  frameSrc: [TURNSTILE_ORIGIN],
})

/** For the web interface: strict, plus Turnstile's origin where the deployment turns the check on. */
export const webSecurityHeaders: MiddlewareHandler<AppBindings> = (c, next) => c.var.services.config.TURNSTILE_SITE_KEY
  ? humanCheckSecurityHeaders(c, next)
  : strictSecurityHeaders(c, next)

/**
 * For Redoc only, two narrow exceptions, both needed by its standalone bundle and neither reachable by page input:
 * - styles: Redoc renders with styled-components, which writes its CSS into <style> elements at run time (the
 *   bundle offers no nonce hook); 'unsafe-inline' for styles cannot run script.
 * - workers: its search index runs in a Web Worker started from a blob: URL the bundle creates.
 */
export const redocSecurityHeaders = htmlSecurityHeaders({
  ...STRICT_POLICY,
  styleSrc: [...SELF, '\'unsafe-inline\''],
  workerSrc: [...SELF, 'blob:'],
})
