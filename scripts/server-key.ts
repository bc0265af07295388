// Generates a server API key and the SERVER_API_KEYS entry that admits it (only its hash), and a webhook secret.
//   npm run keys:server -- <name> [scopes]   scopes: comma-separated, users:read,points:write by default
// Give the key to your backend; add the entry to the SERVER_API_KEYS JSON list (`wrangler secret put SERVER_API_KEYS`).
// Rotating: add the new key's entry, move the backend to it, then remove the old entry.
import { createHash, randomBytes } from 'node:crypto'
import process from 'node:process'

/** As src/config.ts accepts them. */
const SCOPES = ['users:read', 'points:write']

/** The hash the Worker compares a presented key with: SHA-256, base64url (src/middleware/require-server-key.ts). */
export function serverKeyHash(key: string): string {
  return createHash('sha256').update(key).digest('base64url')
}

/** 256 random bits, prefixed so a leaked key is recognisable to secret scanners. */
export function generateServerKey(name: string, scopes: readonly string[]) {
  const key = `pae_sk_${randomBytes(32).toString('base64url')}`
  return {
    key,
    entry: {
      name,
      scopes,
      sha256: serverKeyHash(key),
    },
  }
}

/** A Standard Webhooks secret (WEBHOOK_SECRET): `whsec_` and 32 random bytes, base64. */
export function generateWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [name = 'backend', scopeList = SCOPES.join(',')] = process.argv.slice(2)
  const scopes = scopeList.split(',').map(scope => scope.trim())
  if (scopes.some(scope => !SCOPES.includes(scope)) || !/^[\w.-]{1,64}$/.test(name)) {
    console.error(`usage: npm run keys:server -- <name: letters, digits, . _ -> [${SCOPES.join(',')}]`)
    process.exit(1)
  }
  const { key, entry } = generateServerKey(name, scopes)
  console.log(`Server key (give it to your backend; it is stored nowhere else):\n${key}\n`)
  console.log(`SERVER_API_KEYS entry (add it to the JSON list):\n${JSON.stringify(entry)}\n`)
  console.log(`A webhook secret, should you need one (WEBHOOK_SECRET):\n${generateWebhookSecret()}`)
}
