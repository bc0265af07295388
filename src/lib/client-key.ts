import type { Context } from 'hono'
import type { SignInClient } from '../services/sign-in'
import { clientAddressKey } from '../domain/client-address'

/** The key a request's client is counted under for quotas: Cloudflare's connecting address, IPv6 by its /64. */
export function clientKeyOf(c: Context): string {
  return clientAddressKey(c.req.header('CF-Connecting-IP'))
}

/** The client of a sign-in step: its quota key, and its address and Turnstile token for the human check. */
export function signInClientOf(c: Context, turnstileToken: string | undefined): SignInClient {
  return {
    key: clientKeyOf(c),
    address: c.req.header('CF-Connecting-IP'),
    turnstileToken,
  }
}
