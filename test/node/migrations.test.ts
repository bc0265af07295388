// Migrations are the schema's source of truth in production: they must build, from nothing, exactly the schema
// src/db/schema.ts describes, and drizzle-kit must find nothing left to generate.
import { execFileSync } from 'node:child_process'
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { join, relative } from 'node:path'
import process from 'node:process'
import { getTableConfig } from 'drizzle-orm/pg-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startLocalNeon } from '../../scripts/local-neon/server.ts'
import { applyMigrations, MIGRATIONS_FOLDER } from '../../scripts/migrate.ts'
import { pointsLedger, refreshTokens, rewardedNumbers, userNetworks, userQuotas, users, webhookEvents } from '../../src/db/schema'

describe('migrations', () => {
  it('leave nothing for drizzle-kit to generate (no drift between src/db/schema.ts and migrations/)', () => {
    // drizzle-kit resolves --out against the working directory, so the scratch copy lives in the git-ignored .local/.
    mkdirSync('.local', { recursive: true })
    const copy = relative(process.cwd(), mkdtempSync(join('.local', 'migrations-check-')))
    try {
      cpSync(MIGRATIONS_FOLDER, copy, { recursive: true })
      const output = execFileSync('node_modules/.bin/drizzle-kit', [
        'generate',
        '--dialect',
        'postgresql',
        '--schema',
        './src/db/schema.ts',
        '--out',
        copy,
      ], { encoding: 'utf8' })
      expect(output).toContain('No schema changes')
      expect(readdirSync(copy).filter(file => file.endsWith('.sql')).sort()).toEqual(readdirSync(MIGRATIONS_FOLDER).filter(file => file.endsWith('.sql')).sort())
    }
    finally {
      rmSync(copy, { recursive: true, force: true })
    }
  })

  describe('applied from zero to an empty database', () => {
    let endpoint: Awaited<ReturnType<typeof startLocalNeon>>
    let applied: string[]

    beforeAll(async () => {
      endpoint = await startLocalNeon({})
      applied = await applyMigrations({ localSqlEndpoint: endpoint.url })
    })
    afterAll(() => endpoint.close())

    it('create every table and column the drizzle schema declares, with its nullability', async () => {
      expect(applied.length).toBe(readdirSync(MIGRATIONS_FOLDER).filter(file => file.endsWith('.sql')).length)
      const response = await fetch(endpoint.url, {
        method: 'POST',
        body: JSON.stringify({ query: `SELECT table_name, column_name, is_nullable FROM information_schema.columns WHERE table_schema = 'public'`, params: [] }),
      })
      const { rows } = await response.json() as { rows: [string, string, string][] }
      const actual = new Set(rows.map(([table, column, nullable]) => `${table}.${column}:${nullable === 'YES'
        ? 'null'
        : 'not null'}`))
      const expected = [
        users,
        pointsLedger,
        refreshTokens,
        rewardedNumbers,
        userNetworks,
        userQuotas,
        webhookEvents,
      ].flatMap((table) => {
        const config = getTableConfig(table)
        return config.columns.map(column => `${config.name}.${column.name}:${column.notNull ? 'not null' : 'null'}`)
      })
      expect([...actual].sort()).toEqual(expected.sort())
    })

    it('are idempotent: a second run applies nothing', async () => {
      expect(await applyMigrations({ localSqlEndpoint: endpoint.url })).toEqual([])
    })
  })
})
