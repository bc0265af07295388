import type { Context } from 'hono'
import type { ClientKey } from '../domain/client-address'
import type { SignInClient } from '../services/sign-in'
import { loadConfig } from '../config'
import { parseClientKey } from '../domain/client-address'
import { ClientAddressInvalid } from './errors'

// A local client (npm run dev, tests) has no CF-Connecting-IP; it counts as this machine.
const LOOPBACK = '127.0.0.1'

/**
 * The key a request's client is counted under for quotas: Cloudflare's connecting address, IPv6 by its /64.
 * Cloudflare always sets the header, so a request without one, or with something that is not one address, did not
 * come the way clients do; in production and staging it is refused rather than counted in one bucket shared by all
 * such requests (which one client could fill for everyone).
 */
export function clientKeyOf(c: Context): ClientKey {
  const header = c.req.header('CF-Connecting-IP')
  const { ENVIRONMENT } = loadConfig(c.env as object)
  const local = ENVIRONMENT === 'development' || ENVIRONMENT === 'test'
  const key = parseClientKey(header ?? (local ? LOOPBACK : ''))
  if (!key) {
    throw new ClientAddressInvalid(header === undefined
      ? 'The request carries no client address (CF-Connecting-IP).'
      : 'The request\'s client address (CF-Connecting-IP) is not an IP address.')
  }
  return key
}

/** The client of a sign-in step: its quota key, and its address and Turnstile token for the human check. */
export function signInClientOf(c: Context, turnstileToken: string | undefined): SignInClient {
  return {
    key: clientKeyOf(c),
    address: c.req.header('CF-Connecting-IP'),
    turnstileToken,
  }
}
