import type { MiddlewareHandler } from 'hono'
import type { AccessTokenClaims } from '../domain/access-token'
import type { WebBindings, WebContext } from './bindings'
import { InvalidRefreshToken, Unauthenticated } from '../lib/errors'
import { refreshSession } from '../services/sessions'
import { authenticateAccessToken } from '../services/tokens'
import { clearSessionCookies, readSessionCookies, setSessionCookies } from './cookies'
import { SEND_CODE_PATH } from './paths'

/**
 * Who is signed in (the user and this browser's session), or null. An expired (or missing) access token is renewed with the refresh token, as an
 * API client would do, and the new pair replaces the cookies; a refresh token that no longer works ends the session.
 */
export async function signedInUser(c: WebContext): Promise<AccessTokenClaims | null> {
  const { services } = c.var
  const { access, refresh } = readSessionCookies(c)
  if (access) {
    try {
      return await authenticateAccessToken(services, access)
    }
    catch (error) {
      if (!(error instanceof Unauthenticated))
        throw error
    }
  }
  if (!refresh)
    return null
  try {
    const pair = await refreshSession(services, refresh, c.var.request)
    setSessionCookies(c, pair, services.config)
    return await authenticateAccessToken(services, pair.access)
  }
  catch (error) {
    if (!(error instanceof InvalidRefreshToken))
      throw error
    clearSessionCookies(c)
    return null
  }
}

/** Admits signed-in people (recording whose request it is) and sends everyone else to the sign-in page. */
export const requireWebUser: MiddlewareHandler<WebBindings> = async (c, next) => {
  const signedIn = await signedInUser(c)
  if (!signedIn)
    return c.redirect(SEND_CODE_PATH, 303)
  c.set('userId', signedIn.userId)
  c.set('sessionId', signedIn.sessionId)
  await next()
}
