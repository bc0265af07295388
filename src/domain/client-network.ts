import type { ClientKey } from './client-address'
import { hmacSha256 } from './hmac'

/**
 * The network a client is on, for the same-network and burst signals: an IPv4 address's /24, an IPv6 client's /48
 * (one site is usually given a /48, so the /64 its quota key names would miss its other subnets).
 */
export function networkOf(key: ClientKey): string {
  if (key.endsWith('::/64'))
    return `${key.split(':').slice(0, 3).join(':')}::/48`
  return `${key.split('.').slice(0, 3).join('.')}.0/24`
}

/**
 * The network as stored and compared: an HMAC under a key derived from `secret` for this purpose alone, so the table
 * holds no address and its hashes match nothing hashed elsewhere with the same secret.
 */
export async function networkSignal(secret: string, key: ClientKey): Promise<string> {
  return hmacSha256(await hmacSha256(secret, 'referral-signals/network'), networkOf(key))
}
