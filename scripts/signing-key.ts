// Generates a private signing key for access tokens, as the JWK that JWT_PRIVATE_KEYS holds.
//   npm run keys:generate                 → a one-key JSON array, ready for `wrangler secret put JWT_PRIVATE_KEYS`
import process from 'node:process'
import { exportJWK, generateKeyPair } from 'jose'

export async function generateSigningKey(): Promise<Record<string, unknown>> {
  const { privateKey } = await generateKeyPair('ES256', { extractable: true })
  const jwk = await exportJWK(privateKey)
  // The kid says when the key was made, which is what matters when rotating.
  const kid = `${new Date().toISOString().slice(0, 10)}-${crypto.randomUUID().slice(0, 8)}`
  return {
    ...jwk,
    kid,
    alg: 'ES256',
    use: 'sig',
  }
}

if (import.meta.url === `file://${process.argv[1]}`)
  console.log(JSON.stringify([await generateSigningKey()]))
