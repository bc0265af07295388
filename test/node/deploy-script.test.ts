// `npm run deploy` must never reach wrangler when the environment's migrations cannot be applied.
import { spawnSync } from 'node:child_process'
import process from 'node:process'
import { describe, expect, it } from 'vitest'

function deploy(args: string[], env: Record<string, string | undefined>) {
  const result = spawnSync(process.execPath, ['scripts/deploy.ts', ...args], {
    encoding: 'utf8',
    env: {
      ...process.env,
      DATABASE_URL: undefined,
      ...env,
    },
  })
  return { status: result.status, output: result.stdout + result.stderr }
}

describe('npm run deploy', () => {
  it('refuses to run without naming the environment', () => {
    const { status, output } = deploy([], {})
    expect(status).toBe(2)
    expect(output).toContain('--env staging|production')
  })

  it('refuses to run without the environment\'s DATABASE_URL', () => {
    const { status, output } = deploy(['--env', 'staging'], {})
    expect(status).toBe(2)
    expect(output).toContain('Set DATABASE_URL')
  })

  it('stops before deploying when the migrations fail', () => {
    const { status, output } = deploy(['--env', 'staging'], { DATABASE_URL: 'postgresql://user:password@db.invalid/neondb' })
    expect(status).toBe(1)
    expect(output).toContain('Migrations on staging failed, so nothing was deployed')
    expect(output).not.toContain('wrangler')
  })
})
