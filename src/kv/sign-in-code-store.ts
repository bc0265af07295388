import type { E164 } from '../domain/phone-number'
import type { SignInCodeRecord } from '../domain/sign-in-code'
import { hmacSha256 } from '../domain/hmac'
import { kvOperation } from './errors'

/** KV refuses TTLs below a minute; a shorter code lifetime is enforced by the record's own expiresAt. */
const KV_MIN_TTL_SECONDS = 60

export interface SignInCodeStore {
  put: (phoneNumber: E164, record: SignInCodeRecord) => Promise<void>
  get: (phoneNumber: E164) => Promise<SignInCodeRecord | null>
  remove: (phoneNumber: E164) => Promise<void>
}

/** One pending code per phone number: a new send overwrites the previous code. */
export function kvSignInCodeStore(kv: KVNamespace, secret: string): SignInCodeStore {
  // Keys are keyed hashes too, so the namespace's key listing does not expose who is signing in.
  const keyFor = async (phoneNumber: E164) => `sign-in-code:${await hmacSha256(secret, `kv-key:${phoneNumber}`)}`

  return {
    async put(phoneNumber, record) {
      const ttl = Math.max(KV_MIN_TTL_SECONDS, Math.ceil((record.expiresAt - Date.now()) / 1000))
      const key = await keyFor(phoneNumber)
      await kvOperation(() => kv.put(key, JSON.stringify(record), { expirationTtl: ttl }))
    },
    async get(phoneNumber) {
      const key = await keyFor(phoneNumber)
      return kvOperation(() => kv.get<SignInCodeRecord>(key, 'json'))
    },
    async remove(phoneNumber) {
      const key = await keyFor(phoneNumber)
      await kvOperation(() => kv.delete(key))
    },
  }
}
