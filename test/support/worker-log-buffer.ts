// Setup file of the API projects. The Worker runs in the tests' isolate and logs a JSON line per request, thousands
// a run; Vitest's console sends each one to its main process, at a cost in both. They are kept here instead and
// handed to Vitest's console only when a test fails, so a failing test shows its requests as before. VERBOSE_LOGS=1
// (vitest.config.ts) leaves this file out, and every line is printed as it comes. A test that spies on console
// (captureLogs in test/api/helpers.ts) still sees every line: its spy wraps these.
/* eslint-disable no-console -- this file is the Worker's console in tests */
import { beforeEach } from 'vitest'

const METHODS = [
  'log',
  'info',
  'warn',
  'error',
  'debug',
] as const
type Method = typeof METHODS[number]

interface HeldLogs {
  held: { method: Method, args: unknown[] }[]
  vitestConsole: Pick<Console, Method>
}

// Setup files run again for every test file that shares this isolate: wrap once.
const KEY = Symbol.for('phone-auth.worker-log-buffer')
const global = globalThis as { [KEY]?: HeldLogs }
const { held, vitestConsole } = global[KEY] ??= install()

function install(): HeldLogs {
  const logs: HeldLogs = {
    held: [],
    vitestConsole: Object.fromEntries(METHODS.map(method => [method, console[method]])) as Pick<Console, Method>,
  }
  for (const method of METHODS)
    console[method] = (...args: unknown[]) => void logs.held.push({ method, args })
  return logs
}

beforeEach(({ onTestFailed }) => {
  held.length = 0
  onTestFailed(() => {
    for (const { method, args } of held.splice(0))
      vitestConsole[method](...args)
  })
})
