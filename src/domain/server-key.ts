import { sha256 } from './hmac'
import { randomToken } from './random'

/** A new server API key: 256 random bits, prefixed so a leaked one is recognisable in code or logs scanners. */
export function newServerKey(): string {
  return `pae_sk_${randomToken(32)}`
}

/** What the configuration holds of a key (SERVER_API_KEYS): its SHA-256, base64url; never the key itself. */
export function serverKeyHash(key: string): Promise<string> {
  return sha256(key)
}
