// .dev.vars for `npm run dev`: made from .dev.vars.sample on first run, then the developer's to edit. The secrets a
// developer cannot be expected to invent (a signing key, the OTP secret) are generated whenever they are empty, also
// in a .dev.vars copied by hand from the sample.
import { randomBytes } from 'node:crypto'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { parseEnv } from 'node:util'
import { generateSigningKey } from './signing-key.ts'

const GENERATED: Record<string, () => Promise<string>> = {
  // Single quotes: wrangler reads .dev.vars with dotenv, which keeps single-quoted text verbatim (no escapes, no #).
  JWT_PRIVATE_KEYS: async () => `'${JSON.stringify([await generateSigningKey()])}'`,
  OTP_HMAC_SECRET: async () => randomBytes(32).toString('base64url'),
}

export interface DevVarsChange {
  created: boolean
  /** The generated secrets that were empty or missing and are now set. */
  filled: string[]
}

/** Creates `path` from `samplePath` unless it exists, and fills in the generated secrets it leaves empty. */
export async function ensureDevVars(path: string, samplePath: string): Promise<DevVarsChange> {
  const created = !existsSync(path)
  let contents = readFileSync(created ? samplePath : path, 'utf8')
  const present = parseEnv(contents)
  const filled: string[] = []
  for (const [name, generate] of Object.entries(GENERATED)) {
    if (present[name]?.trim())
      continue
    const line = `${name}=${await generate()}`
    const existing = new RegExp(`^[ \\t]*(?:export[ \\t]+)?${name}[ \\t]*=.*$`, 'm')
    contents = existing.test(contents)
      ? contents.replace(existing, () => line)
      : `${contents.replace(/\n?$/, '\n')}${line}\n`
    filled.push(name)
  }
  if (created || filled.length > 0) {
    // 600: it holds secrets. wx on creation: never overwrite a file that appeared meanwhile.
    writeFileSync(path, contents, {
      flag: created ? 'wx' : 'w',
      mode: 0o600,
    })
  }
  return { created, filled }
}

/** The variables in a .dev.vars file; Node's built-in parser follows dotenv's syntax, as wrangler does. */
export function readDevVars(path: string): NodeJS.Dict<string> {
  return parseEnv(readFileSync(path, 'utf8'))
}
