import type { MiddlewareHandler } from 'hono'

/**
 * Answers that carry tokens or personal data (and refusals about them) must not be kept by any cache, shared or the
 * browser's own, nor served stale from the back-forward cache (RFC 6749 §5.1, RFC 9111 §5.2.2.5). Pragma is for
 * HTTP/1.0 caches, which know no Cache-Control.
 */
export const noStore: MiddlewareHandler = async (c, next) => {
  await next()
  c.header('Cache-Control', 'no-store')
  c.header('Pragma', 'no-cache')
}
