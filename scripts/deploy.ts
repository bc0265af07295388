// `npm run deploy -- --env staging|production [more wrangler deploy args]`: applies the environment's pending
// migrations, then deploys. Migrations go first and a failure stops here, so new code never runs on an old schema
// (migrations are forward-only and additive, so the old code keeps working on the new one meanwhile).
//
//   DATABASE_URL='postgresql://…' npm run deploy -- --env staging
//   npm run deploy -- --dry-run          builds the production bundle only: no account, no database
import { spawnSync } from 'node:child_process'
import process from 'node:process'
import { fileURLToPath } from 'node:url'
import { applyMigrations } from './migrate.ts'

const ENVIRONMENTS = ['staging', 'production']
const args = process.argv.slice(2)
const envIndex = args.findIndex(arg => arg === '--env' || arg === '-e')
const environment = envIndex >= 0
  ? args[envIndex + 1]
  : args.find(arg => arg.startsWith('--env='))?.slice('--env='.length)
const dryRun = args.includes('--dry-run')

if (!dryRun) {
  if (!environment || !ENVIRONMENTS.includes(environment))
    fail(`Name the environment: npm run deploy -- --env ${ENVIRONMENTS.join('|')}`, 2)
  const databaseUrl = process.env.DATABASE_URL
  if (!databaseUrl)
    fail(`Set DATABASE_URL to the ${environment} Neon database, so its migrations run before the deploy.`, 2)
  try {
    const applied = await applyMigrations({ databaseUrl })
    console.log(`Migrations on ${environment}: ${applied.length} applied.`)
  }
  catch (error) {
    fail(`Migrations on ${environment} failed, so nothing was deployed: ${String(error)}`, 1)
  }
}

const wrangler = fileURLToPath(new URL('../bin/wrangler.js', import.meta.resolve('wrangler')))
const result = spawnSync(process.execPath, [wrangler, 'deploy', ...args], { stdio: 'inherit' })
process.exit(result.status ?? 1)

function fail(message: string, code: number): never {
  console.error(message)
  process.exit(code)
}
