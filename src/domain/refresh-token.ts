import { sha256 } from './hmac'
import { randomToken } from './random'

/** 256 bits: guessing one is hopeless, so an unkeyed hash is enough to keep stored tokens useless if leaked. */
const REFRESH_TOKEN_BYTES = 32

export interface NewRefreshToken {
  token: string
  hash: string
}

export async function newRefreshToken(): Promise<NewRefreshToken> {
  const token = randomToken(REFRESH_TOKEN_BYTES)
  return { token, hash: await hashRefreshToken(token) }
}

export function hashRefreshToken(token: string): Promise<string> {
  return sha256(token)
}
