// .dev.vars for `npm run dev`: made once from .dev.vars.sample with fresh dev secrets, then the developer's to edit.
import { randomBytes } from 'node:crypto'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { parseEnv } from 'node:util'
import { generateSigningKey } from './signing-key.ts'

/** Creates `path` from `samplePath` unless it exists; returns whether it did. */
export async function ensureDevVars(path: string, samplePath: string): Promise<boolean> {
  if (existsSync(path))
    return false
  const signingKeys = JSON.stringify([await generateSigningKey()])
  const contents = readFileSync(samplePath, 'utf8')
    // Single quotes: wrangler reads .dev.vars with dotenv, which keeps single-quoted text verbatim (no escapes, no #).
    .replace(/^JWT_PRIVATE_KEYS=$/m, `JWT_PRIVATE_KEYS='${signingKeys}'`)
    .replace(/^OTP_HMAC_SECRET=$/m, `OTP_HMAC_SECRET=${randomBytes(32).toString('base64url')}`)
  // wx: never overwrite a file that appeared meanwhile; 600: it holds secrets.
  writeFileSync(path, contents, { flag: 'wx', mode: 0o600 })
  return true
}

/** The variables in a .dev.vars file; Node's built-in parser follows dotenv's syntax, as wrangler does. */
export function readDevVars(path: string): NodeJS.Dict<string> {
  return parseEnv(readFileSync(path, 'utf8'))
}
