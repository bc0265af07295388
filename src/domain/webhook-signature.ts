const keys = new Map<string, Promise<CryptoKey>>()

/** The HMAC key of a Standard Webhooks secret: the bytes whose base64 follows `whsec_`. */
function signingKey(secret: string): Promise<CryptoKey> {
  let key = keys.get(secret)
  if (!key) {
    const bytes = Uint8Array.from(atob(secret.replace(/^whsec_/, '')), char => char.charCodeAt(0))
    key = crypto.subtle.importKey('raw', bytes, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign'])
    keys.set(secret, key)
  }
  return key
}

/**
 * The `webhook-signature` header of a Standard Webhooks message: `v1,` and the base64 HMAC-SHA256 of
 * `id.timestamp.body`, so a receiver can tell the message is ours, unchanged, and (by the timestamp) not replayed.
 */
export async function signWebhook(secret: string, id: string, timestamp: number, body: string): Promise<string> {
  const mac = await crypto.subtle.sign('HMAC', await signingKey(secret), new TextEncoder().encode(`${id}.${timestamp}.${body}`))
  let binary = ''
  for (const byte of new Uint8Array(mac))
    binary += String.fromCharCode(byte)
  return `v1,${btoa(binary)}`
}
