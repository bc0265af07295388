// `npm run dev`: the whole service on this machine, no accounts needed. Creates .dev.vars on first run (and fills in
// the generated secrets whenever they are empty), checks the configuration the Worker will see, starts the local
// stand-in for Neon (PGlite, data in .local/pglite), applies migrations, then runs the Worker in workerd
// (scripts/dev-worker.ts: rebuilt on every change), whose log shows the sign-in codes (SMS_PROVIDER=console).
//
//   npm run dev                                      API on http://127.0.0.1:8787
//   PORT=8790 npm run dev                            another checkout beside the first
//   npm run dev -- --inspect                         with a debugger port (9229 if free) for Chrome DevTools
//   npm run dev -- --inspector-port 9230             the debugger on this port
//   LOCAL_DATABASE_URL=postgresql://... npm run dev  back the local endpoint with PostgreSQL instead of PGlite
//   npx wrangler dev                                 wrangler's own dev server, for its other options
//
// Ports the user does not fix are free ones: the local SQL endpoint when LOCAL_SQL_ENDPOINT's port is 0 (as in
// .dev.vars.sample), and the debugger's.
import type { DevWorker } from './dev-worker.ts'
import type { LocalNeon } from './local-neon/server.ts'
import { createServer } from 'node:net'
import process from 'node:process'
import { fileURLToPath } from 'node:url'
import { tsImport } from 'tsx/esm/api'
import { unstable_readConfig } from 'wrangler'
import { ensureDevVars, readDevVars } from './dev-vars.ts'
import { startDevWorker } from './dev-worker.ts'
import { startLocalNeon } from './local-neon/server.ts'
import { applyMigrations } from './migrate.ts'

const fromRoot = (path: string) => fileURLToPath(new URL(`../${path}`, import.meta.url))
const HOST = '127.0.0.1'
const DEFAULT_INSPECTOR_PORT = 9229
const port = Number(process.env.PORT || 8787)
const api = `http://${HOST}:${port}`
const args = process.argv.slice(2)
const unknownArgs = args.filter((arg, i) => !/^--inspect(?:or-port(?:=\d+)?)?$/.test(arg) && !(args[i - 1] === '--inspector-port' && /^\d+$/.test(arg)))
if (unknownArgs.length > 0)
  fail(`npm run dev takes --inspect or --inspector-port <port>, not ${unknownArgs.join(' ')}. For wrangler's own dev server and its options: npx wrangler dev`)

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
// What the dev server sets over .dev.vars; the SQL endpoint is added once it listens.
const overrides: Record<string, string> = { JWT_ISSUER: issuer }

await assertValidConfig({ ...overrides, LOCAL_SQL_ENDPOINT: localSqlEndpoint ?? '' })
// Checked up front so a second `npm run dev` stops here, before opening the PGlite data the first one is using.
await assertPortFree(HOST, port, `Stop it, or run this one on another port: PORT=${port + 1} npm run dev`)
const inspectorPort = await chosenInspectorPort()

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

let worker: DevWorker
try {
  worker = await startDevWorker({
    host: HOST,
    port,
    overrides,
    inspectorPort,
  })
}
catch (error) {
  await localNeon?.close()
  fail(String(error instanceof Error
    ? error.message
    : error))
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    void Promise.all([
      worker.close(),
      localNeon?.close(),
    ]).finally(() => process.exit(0))
  })
}

console.log([
  '',
  `  Sign in  ${api}/users/web/auth/send_sms/`,
  `  API      ${api}/`,
  `  Swagger  ${api}/docs/`,
  `  ReDoc    ${api}/redoc/`,
  '  SMS codes are printed in this log.',
  ...inspectorPort === undefined
    ? []
    : [`  Debugger ws://${HOST}:${inspectorPort} (chrome://inspect)`],
  '',
].join('\n'))

function fail(message: string): never {
  console.error(message)
  process.exit(1)
}

/** The debugger's port: the one --inspector-port names, a free one (9229 if free) for --inspect, else none. */
async function chosenInspectorPort(): Promise<number | undefined> {
  const named = args.find(arg => arg.startsWith('--inspector-port='))?.split('=')[1] ?? (args.includes('--inspector-port')
    ? args[args.indexOf('--inspector-port') + 1]
    : undefined)
  if (named)
    return Number(named)
  return args.includes('--inspect')
    ? freePort(HOST, DEFAULT_INSPECTOR_PORT)
    : undefined
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
