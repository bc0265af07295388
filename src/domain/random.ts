/**
 * Uniformly random characters from `alphabet`, from the platform CSPRNG.
 * Rejection sampling drops bytes that would make some characters likelier than others (modulo bias).
 */
export function randomString(length: number, alphabet: string): string {
  const size = alphabet.length
  const limit = 256 - (256 % size)
  let result = ''
  while (result.length < length) {
    for (const byte of crypto.getRandomValues(new Uint8Array(length * 2))) {
      if (byte < limit && result.length < length)
        result += alphabet[byte % size]
    }
  }
  return result
}

export function randomDigits(length: number): string {
  return randomString(length, '0123456789')
}

/** URL-safe base64 of `bytes` random bytes, for opaque tokens. */
export function randomToken(bytes: number): string {
  return base64url(crypto.getRandomValues(new Uint8Array(bytes)))
}

export function base64url(bytes: Uint8Array): string {
  let binary = ''
  for (const byte of bytes)
    binary += String.fromCharCode(byte)
  return btoa(binary).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '')
}
