import type { MiddlewareHandler } from 'hono'
import type { ServerKey, ServerKeyScope } from '../config'
import type { AppBindings } from '../lib/types'
import { sha256 } from '../domain/hmac'
import { timingSafeEqual } from '../domain/timing-safe-equal'
import { InsufficientScope, InvalidServerKey } from '../lib/errors'

/**
 * Admits server API calls with `Authorization: Bearer <server key>` whose key is configured (SERVER_API_KEYS, by
 * hash) with `scope`, and names the key in the request's log line. A user's access token is no server key, so it is
 * refused like any unknown one. Every configured hash is compared, in constant time, whichever matches.
 */
export function requireServerKey(scope: ServerKeyScope): MiddlewareHandler<AppBindings> {
  return async (c, next) => {
    const match = /^Bearer +(\S+)$/i.exec(c.req.header('Authorization') ?? '')
    if (!match)
      throw new InvalidServerKey('Send a server key as `Authorization: Bearer <key>`.')
    // SERVER_API_KEYS holds SHA-256 hashes, base64url (scripts/server-key.ts).
    const hash = await sha256(match[1]!)
    let key: ServerKey | undefined
    for (const candidate of c.var.services.config.SERVER_API_KEYS) {
      if (timingSafeEqual(candidate.sha256, hash))
        key = candidate
    }
    if (!key)
      throw new InvalidServerKey('This server key is not configured (or was removed). User access tokens are not accepted here.')
    c.var.request.serverKey = key.name
    if (!key.scopes.includes(scope))
      throw new InsufficientScope(`This operation needs the ${scope} scope; the key "${key.name}" has ${key.scopes.join(', ')}.`)
    await next()
  }
}
