// `npm run dev`: the whole service on this machine, no accounts needed. Creates .dev.vars on first run, starts the
// local stand-in for Neon (PGlite, data in .local/pglite), applies migrations, then runs `wrangler dev`, whose log
// shows the sign-in codes (SMS_PROVIDER=console).
//
//   npm run dev                                   API on http://127.0.0.1:8787
//   PORT=8790 npm run dev -- --inspector-port 9230   arguments after -- go to `wrangler dev`
//   LOCAL_DATABASE_URL=postgresql://... npm run dev  back the local endpoint with PostgreSQL instead of PGlite
import type { LocalNeon } from './local-neon/server.ts'
import { spawn } from 'node:child_process'
import { createServer } from 'node:net'
import { constants } from 'node:os'
import process from 'node:process'
import { fileURLToPath } from 'node:url'
import { ensureDevVars, readDevVars } from './dev-vars.ts'
import { startLocalNeon } from './local-neon/server.ts'
import { applyMigrations } from './migrate.ts'

const fromRoot = (path: string) => fileURLToPath(new URL(`../${path}`, import.meta.url))
// wrangler's JS entry run by this same Node: no .cmd shim on Windows, no other Node from PATH.
const WRANGLER = fileURLToPath(new URL('../bin/wrangler.js', import.meta.resolve('wrangler')))
const HOST = '127.0.0.1'
const port = Number(process.env.PORT ?? 8787)
const api = `http://${HOST}:${port}`

if (await ensureDevVars(fromRoot('.dev.vars'), fromRoot('.dev.vars.sample')))
  console.log('Created .dev.vars from .dev.vars.sample with a new signing key and OTP secret.')
const vars = readDevVars(fromRoot('.dev.vars'))
const { LOCAL_SQL_ENDPOINT: localSqlEndpoint, DATABASE_URL: databaseUrl } = vars
if (!localSqlEndpoint && !databaseUrl)
  fail('.dev.vars sets neither LOCAL_SQL_ENDPOINT nor DATABASE_URL.')

// Checked up front so a second `npm run dev` stops here, before opening the PGlite data the first one is using.
await assertPortFree(HOST, port, 'PORT')
let localNeon: LocalNeon | undefined
if (localSqlEndpoint) {
  const endpoint = new URL(localSqlEndpoint)
  const host = endpoint.hostname.replace(/^\[|\]$/g, '')
  const sqlPort = Number(endpoint.port || 80)
  await assertPortFree(host, sqlPort, 'LOCAL_SQL_ENDPOINT in .dev.vars')
  const postgresUrl = process.env.LOCAL_DATABASE_URL
  // PostgreSQL when LOCAL_DATABASE_URL is set (dataDir is then unused), else PGlite persisted in .local/pglite.
  localNeon = await startLocalNeon({
    host,
    port: sqlPort,
    databaseUrl: postgresUrl,
    dataDir: fromRoot('.local/pglite'),
  })
  const backend = postgresUrl ? 'PostgreSQL' : 'PGlite in .local/pglite'
  console.log(`Local Neon endpoint on ${localNeon.url} (${backend}).`)
}

try {
  const applied = await applyMigrations({ localSqlEndpoint, databaseUrl })
  console.log(`Migrations: ${applied.length} applied.`)
}
catch (error) {
  await localNeon?.close()
  fail(`Could not apply migrations to ${localNeon?.url ?? 'DATABASE_URL from .dev.vars'}: ${String(error)}`)
}

const wranglerArgs = [
  'dev',
  '--ip',
  HOST,
  '--port',
  String(port),
  ...process.argv.slice(2),
]
const wrangler = spawn(process.execPath, [WRANGLER, ...wranglerArgs], {
  cwd: fromRoot(''),
  stdio: 'inherit',
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

async function assertPortFree(host: string, port: number, setting: string): Promise<void> {
  const server = createServer()
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => server.close(() => resolve()))
  }).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'EADDRINUSE')
      throw error
    fail(`${host}:${port} is already in use (another \`npm run dev\`?). Stop it or change ${setting}.`)
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
