// `.dev.vars` holds a developer's settings for `npm run dev`, and wrangler loads it into every Worker it starts from
// wrangler.toml, the tests' too. Whatever it sets that a test does not is put back to what a fresh clone has
// (wrangler.toml's value, or empty, which the Worker reads as unset), so tests answer the same after `npm run dev`.
import { existsSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { parseEnv } from 'node:util'
import { unstable_readConfig } from 'wrangler'

const DEV_VARS = fileURLToPath(new URL('../../.dev.vars', import.meta.url))
const WRANGLER_CONFIG = fileURLToPath(new URL('../../wrangler.toml', import.meta.url))

/** Settings that undo the developer's `.dev.vars`, for a Worker whose own settings are `given`. */
export function devVarsResets(given: Record<string, string>): Record<string, string> {
  if (!existsSync(DEV_VARS))
    return {}
  const vars = unstable_readConfig({ config: WRANGLER_CONFIG }, { hideWarnings: true }).vars
  return Object.fromEntries(Object.keys(parseEnv(readFileSync(DEV_VARS, 'utf8')))
    .filter(name => !(name in given))
    .map(name => [
      name,
      typeof vars[name] === 'string'
        ? vars[name]
        : '',
    ]))
}
