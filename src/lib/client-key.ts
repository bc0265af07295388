import type { Context } from 'hono'
import { clientAddressKey } from '../domain/client-address'

/** The key a request's client is counted under for quotas: Cloudflare's connecting address, IPv6 by its /64. */
export function clientKeyOf(c: Context): string {
  return clientAddressKey(c.req.header('CF-Connecting-IP'))
}
