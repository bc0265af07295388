// The README's curl walkthrough, pasted block by block into bash as a reader pastes it into a terminal, against the
// service served locally with the test numbers of .dev.vars.sample: every block must succeed and print what the
// README says it prints. Only the origin differs from `npm run dev`'s.
import type { AppServer } from '../browser/support/app-server.ts'
import { execFile, spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import process from 'node:process'
import { parseEnv } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startAppServer } from '../browser/support/app-server.ts'

const README_ORIGIN = 'http://127.0.0.1:8787'
const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8')
const { TEST_PHONE_NUMBERS = '' } = parseEnv(readFileSync(new URL('../../.dev.vars.sample', import.meta.url), 'utf8'))

/** The ```sh blocks of the "With curl" section, in order. */
function walkthroughBlocks(markdown: string): string[] {
  const section = /^### With curl\n([\s\S]*?)^#{2,3} /m.exec(markdown)?.[1] ?? ''
  return [
    ...section.matchAll(/^```sh\n([\s\S]*?)^```$/gm),
  ].map(match => match[1]!)
}

/** The variables a block sets, which later blocks may use. */
function variablesSetBy(block: string): string[] {
  return [
    ...block.matchAll(/^([A-Z_][A-Z0-9_]*)=/gm),
  ].map(match => match[1]!)
}

interface Run { code: number, stdout: string, stderr: string }

// Asynchronous on purpose: the app's SQL endpoint and fake Twilio answer from this process, so a blocking spawn
// would leave curl waiting on a server that cannot run.
function bash(script: string): Promise<Run> {
  return new Promise((resolve) => {
    const child = execFile('bash', ['-c', script], { timeout: 30_000 }, (_error, stdout, stderr) => {
      // null when killed (the timeout): a failure all the same.
      resolve({ code: child.exitCode ?? 1, stdout, stderr })
    })
  })
}

const blocks = walkthroughBlocks(readme)
const jqMissing = spawnSync('jq', ['--version']).error !== undefined

if (jqMissing && !process.env.CI) {
  const reason = 'the README walkthrough is skipped: it needs jq (apt-get install -y jq, or brew install jq)'
  // Printed too, since a passing run lists no skipped titles.
  console.warn(reason)
  it.skip(reason)
}
else {
  describe('the README walkthrough, pasted in order', () => {
    let app: AppServer
    let state: string
    const variables = new Set<string>()
    const outputs = new Map<string, string>()

    beforeAll(async () => {
      state = join(mkdtempSync(join(tmpdir(), 'readme-walkthrough-')), 'variables')
      writeFileSync(state, '')
      app = await startAppServer({ TEST_PHONE_NUMBERS })
    }, 60_000)

    afterAll(async () => {
      await app?.close()
      if (state)
        rmSync(dirname(state), { recursive: true, force: true })
    })

    it('is found in README.md', () => {
      expect(blocks, 'the ```sh blocks under "### With curl"').not.toHaveLength(0)
    })

    for (const block of blocks) {
      // Named by the comment that opens the block: "1. The inviter signs in …".
      it(block.split('\n')[0]!.replace(/^# /, ''), async () => {
        // One shell per block; what it sets carries over to the next, as in the reader's terminal.
        for (const name of variablesSetBy(block))
          variables.add(name)
        const run = await bash([
          'set -euo pipefail',
          `source ${state}`,
          block.replaceAll(README_ORIGIN, app.origin),
          `declare -p ${[...variables].join(' ')} > ${state}`,
        ].join('\n'))
        outputs.set(block, run.stdout)
        expect(run, `the block failed:\n${block}`).toMatchObject({ code: 0, stderr: '' })
      }, 30_000)
    }

    it('shows both balances change, and the signed-out and the retired refresh tokens refused', () => {
      const outputOf = (command: RegExp) => outputs.get(blocks.find(block => command.test(block)) ?? '') ?? ''
      expect(outputOf(/\/users\/profile\/update\//)).toContain('"points":100')
      expect(outputOf(/\/users\/profile\/ -H "Authorization: Bearer \$INVITER_ACCESS"/)).toContain('"points":200')
      const signOut = outputOf(/\/users\/auth\/logout\//)
      expect(signOut).toMatch(/^204$/m)
      expect(signOut.match(/^\{"status":401,"code":"invalid_refresh_token"\}$/gm)).toHaveLength(2)
    })
  })
}
