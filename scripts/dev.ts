// `npm run dev`: the whole service on this machine, no accounts needed. Creates .dev.vars on first run (and fills in
// the generated secrets whenever they are empty), checks the configuration the Worker will see, starts the local
// stand-in for Neon (PGlite, data in .local/pglite), applies migrations, then runs `wrangler dev`, whose log shows
// the sign-in codes (SMS_PROVIDER=console).
//
//   npm run dev                                      API on http://127.0.0.1:8787
//   PORT=8790 npm run dev                            another checkout beside the first
//   npm run dev -- --inspector-port 9230             arguments after -- go to `wrangler dev`
//   LOCAL_DATABASE_URL=postgresql://... npm run dev  back the local endpoint with PostgreSQL instead of PGlite
//
// Ports the user does not fix are free ones: the local SQL endpoint when LOCAL_SQL_ENDPOINT's port is 0 (as in
// .dev.vars.sample), and the debugger's (9229 if free) unless --inspector-port is given.
import type { LocalNeon } from './local-neon/server.ts'
import { spawn } from 'node:child_process'
import { createServer } from 'node:net'
import { constants } from 'node:os'
import process from 'node:process'
import { fileURLToPath } from 'node:url'
import { tsImport } from 'tsx/esm/api'
import { unstable_readConfig } from 'wrangler'
import { ensureDevVars, readDevVars } from './dev-vars.ts'
import { startLocalNeon } from './local-neon/server.ts'
import { applyMigrations } from './migrate.ts'

const fromRoot = (path: string) => fileURLToPath(new URL(`../${path}`, import.meta.url))
// wrangler's JS entry run by this same Node: no .cmd shim on Windows, no other Node from PATH.
const WRANGLER = fileURLToPath(new URL('../bin/wrangler.js', import.meta.resolve('wrangler')))
const HOST = '127.0.0.1'
const DEFAULT_INSPECTOR_PORT = 9229
const port = Number(process.env.PORT || 8787)
const api = `http://${HOST}:${port}`
const wranglerArgs = process.argv.slice(2)

const devVars = await ensureDevVars(fromRoot('.dev.vars'), fromRoot('.dev.vars.sample'))
if (devVars.created)
  console.log('Created .dev.vars from .dev.vars.sample with a new signing key and OTP secret.')
else if (devVars.filled.length > 0)
  console.log(`Generated ${devVars.filled.join(' and ')} in .dev.vars (they were empty).`)
const vars = readDevVars(fromRoot('.dev.vars'))
const { LOCAL_SQL_ENDPOINT: localSqlEndpoint, DATABASE_URL: databaseUrl } = vars
if (!localSqlEndpoint && !databaseUrl)
  fail('.dev.vars sets neither LOCAL_SQL_ENDPOINT nor DATABASE_URL: copy the LOCAL_SQL_ENDPOINT line from .dev.vars.sample.')

// Tokens name this server as their issuer, so a local issuer follows the port; any other issuer is the user's choice.
const issuer = !vars.JWT_ISSUER || /^http:\/\/(?:127\.0\.0\.1|localhost)(?::\d+)?\/?$/.test(vars.JWT_ISSUER)
  ? api
  : vars.JWT_ISSUER
// What `wrangler dev` overrides in .dev.vars (`--var` wins over it); the SQL endpoint is added once it listens.
const overrides: Record<string, string> = { JWT_ISSUER: issuer }

await assertValidConfig({ ...overrides, LOCAL_SQL_ENDPOINT: localSqlEndpoint ?? '' })
// Checked up front so a second `npm run dev` stops here, before opening the PGlite data the first one is using.
await assertPortFree(HOST, port, `Stop it, or run this one on another port: PORT=${port + 1} npm run dev`)
const inspectorArgs = hasOption('--inspector-port')
  ? []
  : [
      '--inspector-port',
      String(await freePort(HOST, DEFAULT_INSPECTOR_PORT)),
    ]

let localNeon: LocalNeon | undefined
if (localSqlEndpoint) {
  const endpoint = new URL(localSqlEndpoint)
  const host = endpoint.hostname.replace(/^\[|\]$/g, '')
  const sqlPort = Number(endpoint.port || 80)
  if (sqlPort !== 0)
    await assertPortFree(host, sqlPort, 'Stop it, or set the port in LOCAL_SQL_ENDPOINT in .dev.vars to 0 (any free port).')
  const postgresUrl = process.env.LOCAL_DATABASE_URL
  // PostgreSQL when LOCAL_DATABASE_URL is set (dataDir is then unused), else PGlite persisted in .local/pglite.
  localNeon = await startLocalNeon({
    host,
    port: sqlPort,
    databaseUrl: postgresUrl,
    dataDir: fromRoot('.local/pglite'),
  })
  overrides.LOCAL_SQL_ENDPOINT = `${localNeon.origin}${endpoint.pathname}`
  const backend = postgresUrl ? 'PostgreSQL' : 'PGlite in .local/pglite'
  console.log(`Local Neon endpoint on ${overrides.LOCAL_SQL_ENDPOINT} (${backend}).`)
}

try {
  const applied = await applyMigrations({ localSqlEndpoint: overrides.LOCAL_SQL_ENDPOINT, databaseUrl })
  console.log(`Migrations: ${applied.length} applied.`)
}
catch (error) {
  await localNeon?.close()
  fail(`Could not apply migrations to ${localNeon?.url ?? 'DATABASE_URL from .dev.vars'}: ${String(error)}`)
}

const wrangler = spawn(process.execPath, [
  WRANGLER,
  'dev',
  '--ip',
  HOST,
  '--port',
  String(port),
  ...inspectorArgs,
  ...Object.entries(overrides).flatMap(([name, value]) => ['--var', `${name}:${value}`]),
  ...wranglerArgs,
], {
  cwd: fromRoot(''),
  stdio: 'inherit',
  // Nothing in development needs the internet: request.cf is wrangler's built-in sample instead of a download
  // from workers.cloudflare.com, and no metrics, error reports or update check (wrangler's banner) are sent.
  // The developer's own settings of these win.
  env: {
    CLOUDFLARE_CF_FETCH_ENABLED: 'false',
    WRANGLER_SEND_METRICS: 'false',
    WRANGLER_SEND_ERROR_REPORTS: 'false',
    WRANGLER_HIDE_BANNER: 'true',
    ...process.env,
  },
})
// Also covers `kill <pid>` of this process alone; Ctrl+C already reaches wrangler through the process group.
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.on(signal, () => wrangler.kill(signal))
wrangler.on('exit', async (code, signal) => {
  await localNeon?.close()
  // Like a shell: 128 + the signal number when wrangler was killed by one.
  process.exit(signal
    ? 128 + constants.signals[signal]
    : (code ?? 1))
})

if (await apiStarted()) {
  console.log([
    '',
    `  Sign in  ${api}/users/web/auth/send_sms/`,
    `  API      ${api}/`,
    `  Swagger  ${api}/docs/`,
    `  ReDoc    ${api}/redoc/`,
    '  SMS codes are printed in this log.',
    '',
  ].join('\n'))
}

function fail(message: string): never {
  console.error(message)
  process.exit(1)
}

function hasOption(name: string): boolean {
  return wranglerArgs.some(arg => arg === name || arg.startsWith(`${name}=`))
}

/**
 * Validates the variables the Worker will see (wrangler.toml's [vars], then .dev.vars, then the overrides) with the
 * Worker's own code, so a misconfiguration stops here with its reason instead of answering every request with 500.
 */
async function assertValidConfig(overriding: Record<string, string>): Promise<void> {
  const env = {
    ...unstable_readConfig({
      config: fromRoot('wrangler.toml'),
    }).vars,
    ...vars,
    ...overriding,
  }
  const { loadConfig } = await tsImport('../src/config.ts', import.meta.url) as typeof import('../src/config.ts')
  const { loadSigningKeys } = await tsImport('../src/domain/signing-keys.ts', import.meta.url) as typeof import('../src/domain/signing-keys.ts')
  const fix = 'Fix it in .dev.vars (.dev.vars.sample explains every setting), or delete .dev.vars to start again from the sample.'
  try {
    loadConfig(env)
  }
  catch (error) {
    fail(`.dev.vars does not make a working configuration. ${String(error instanceof Error
      ? error.message
      : error)}\n${fix}`)
  }
  await loadSigningKeys(String(env.JWT_PRIVATE_KEYS)).catch((error: unknown) => {
    fail(`JWT_PRIVATE_KEYS in .dev.vars is not a JSON array of private JWKs (${String(error instanceof Error
      ? error.message
      : error)}).\nEmpty it to have a key generated, or put the output of \`npm run keys:generate\` there.`)
  })
}

async function assertPortFree(host: string, port: number, remedy: string): Promise<void> {
  await listenOnce(host, port).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'EADDRINUSE')
      throw error
    fail(`${host}:${port} is already in use (another \`npm run dev\`?). ${remedy}`)
  })
}

/** `preferred` if it is free, else any free port. */
async function freePort(host: string, preferred: number): Promise<number> {
  return listenOnce(host, preferred).catch(() => listenOnce(host, 0))
}

/** Listens on the port and closes again; resolves with the port that was bound. */
function listenOnce(host: string, port: number): Promise<number> {
  const server = createServer()
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => {
      const address = server.address()
      const bound = typeof address === 'object' && address
        ? address.port
        : port
      server.close(() => resolve(bound))
    })
  })
}

/** Waits until wrangler answers HTTP, so the banner follows its startup log; false if wrangler exited instead. */
async function apiStarted(): Promise<boolean> {
  while (wrangler.exitCode === null && wrangler.signalCode === null) {
    try {
      await fetch(`${api}/openapi.json`, { method: 'HEAD' })
      return true
    }
    catch {
      await new Promise(resolve => setTimeout(resolve, 250))
    }
  }
  return false
}
