import type { Plugin } from 'vite'
import type { ProvidedContext } from 'vitest'
import type { TestProjectInlineConfiguration } from 'vitest/config'
import type { TestSpecification } from 'vitest/node'
import { existsSync } from 'node:fs'
import { availableParallelism } from 'node:os'
import process from 'node:process'
import { cloudflareTest } from '@cloudflare/vitest-plugin'
import { defineConfig } from 'vitest/config'
import { BaseSequencer, parseCLI } from 'vitest/node'
import { serverKeyHash } from './scripts/server-key.ts'
import { CHROMIUM_PATH, INSTALL_CHROMIUM } from './test/browser/support/chromium-path.ts'
import { devVarsResets } from './test/support/dev-vars-resets.ts'
import { TEST_SERVER_KEYS, TEST_WEBHOOK_SECRET } from './test/support/server-keys.ts'
import { offerNoWebSocketCompression } from './test/support/uncompressed-websockets.ts'

// Miniflare keeps each Durable Object's SQLite storage in the temporary directory, where every write is synced to
// disk: in memory, the API tests spend half the system time and a sixth less wall time. Linux has one at /dev/shm.
const MEMORY_TMPDIR = '/dev/shm'
if (!process.env.TMPDIR && existsSync(MEMORY_TMPDIR))
  process.env.TMPDIR = MEMORY_TMPDIR

offerNoWebSocketCompression()

type Inject = <K extends keyof ProvidedContext>(key: K) => ProvidedContext[K]

/** The Worker's settings in tests; every external service is a local stand-in started by the global setup. */
function testBindings(inject: Inject) {
  const bindings = {
    ENVIRONMENT: 'test',
    DATABASE_URL: 'postgresql://test:test@localhost/phone_auth',
    LOCAL_SQL_ENDPOINT: inject('sqlEndpoint'),
    JWT_PRIVATE_KEYS: inject('signingKeys'),
    JWT_ISSUER: 'https://auth.test',
    JWT_AUDIENCE: 'phone-auth-test',
    OTP_HMAC_SECRET: 'test-otp-secret-that-is-at-least-32-characters',
    SMS_PROVIDER: 'twilio',
    // Generous, so 200 parallel sign-ins on a loaded CI machine are not cut off; the timeout tests set their own.
    SMS_TIMEOUT_MS: '10000',
    TWILIO_API_BASE_URL: inject('twilioOrigin'),
    TWILIO_ACCOUNT_SID: 'AC00000000000000000000000000000001',
    TWILIO_AUTH_TOKEN: 'twilio-test-auth-token',
    TWILIO_FROM_NUMBER: '+15005550006',
    // The other providers and channels are off unless a test turns them on (SMS_PROVIDER, SMS_CHANNELS).
    TWILIO_VERIFY_API_BASE_URL: inject('twilioOrigin'),
    TWILIO_VERIFY_SERVICE_SID: 'VA00000000000000000000000000000001',
    TWILIO_WHATSAPP_FROM: '+14155238886',
    TELEGRAM_GATEWAY_API_BASE_URL: inject('telegramGatewayOrigin'),
    TELEGRAM_GATEWAY_TOKEN: 'telegram-test-token',
    // Off unless a test sets TURNSTILE_SECRET_KEY; then siteverify is the fake's.
    TURNSTILE_API_BASE_URL: inject('turnstileOrigin'),
    // The whole suite texts +7 numbers from one client address; these limits are tested with small values of their
    // own (test/api/abuse.test.ts).
    SMS_NEW_NUMBERS_PER_RANGE_PER_DAY: '10000000',
    SMS_NEW_NUMBERS_PER_COUNTRY_PER_DAY: '100000000',
    IP_SENDS_PER_HOUR: '100000',
    IP_VERIFIES_PER_HOUR: '100000',
    TEST_PHONE_NUMBERS: '+15555550100:123456',
    CORS_ALLOWED_ORIGINS: 'https://app.example.test, https://admin.example.test',
    SERVER_API_KEYS: JSON.stringify(Object.entries(TEST_SERVER_KEYS).map(([name, { key, scopes }]) => ({
      name,
      scopes,
      sha256: serverKeyHash(key),
    }))),
  }
  return {
    ...devVarsResets(bindings),
    ...bindings,
  }
}

// Only the projects whose Worker talks to these services start them (a project's globalSetup runs once per project,
// and the root's once more); the Node-side tests start what they need themselves.
const GLOBAL_SETUP = './test/support/global-setup.ts'
const WORKER_LOG_BUFFER = './test/support/worker-log-buffer.ts'
const VERBOSE_LOGS = process.env.VERBOSE_LOGS === '1'
const MAX_WORKERS = Math.max(4, availableParallelism())
const PROJECT_FILES = 'test/support/project-files.ts'
const fileFilters = parseCLI([
  'vitest',
  ...process.argv.slice(2),
]).filter

/**
 * Projects whose files take longest start first, so that none starts near the end of a run: Vitest's own order goes
 * by project name, which started the longest file (all of **workers**) last. Within a project, Vitest's order.
 */
const LONGEST_FIRST = [
  'workers',
  'fuzz',
  'browser',
  'webhooks',
  'faults',
  'workers-telegram',
  'node',
]
class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const rank = (file: TestSpecification) => LONGEST_FIRST.indexOf(file.project.name)
    return (await super.sort(files)).sort((a, b) => rank(a) - rank(b))
  }
}

// Without Chromium a fresh machine still runs everything else; CI, or anyone who sets REQUIRE_BROWSER=1, gets the
// browser tests' failure instead of a skip.
const browserRequired = Boolean(process.env.CI) || process.env.REQUIRE_BROWSER === '1'
const runBrowserTests = browserRequired || existsSync(CHROMIUM_PATH)
const summary = {
  notes: runBrowserTests
    ? []
    : [`Browser tests skipped: no Chromium at ${CHROMIUM_PATH}. Install it (${INSTALL_CHROMIUM}); REQUIRE_BROWSER=1 makes this a failure.`],
}

/**
 * A whole run (`npm test`) hands a project's files to Vitest as one, test/support/project-files.ts, which imports them
 * from a module made here from the project's globs, so that they share one worker and what it starts. Files named on
 * the command line (`vitest run test/api/profile.test.ts`) are matched against the files themselves.
 */
const filesAsOne = fileFilters.length === 0
function projectFiles(include: string[], exclude?: string[]) {
  return {
    plugin: projectTestFiles(include, exclude),
    include: filesAsOne
      ? [PROJECT_FILES]
      : include,
    exclude: filesAsOne
      ? undefined
      : exclude,
  }
}

/**
 * Headless Chromium against the app served locally (test/browser/support): in a whole run the files run one after
 * another in one process, sharing Chromium and an app server per set of settings.
 */
function browserProject(): TestProjectInlineConfiguration {
  const { plugin, ...files } = projectFiles(['test/browser/**/*.test.ts'])
  return {
    extends: true,
    plugins: [plugin],
    test: {
      name: 'browser',
      ...files,
      environment: 'node',
      testTimeout: 60_000,
      hookTimeout: 120_000,
    },
  }
}

/**
 * API tests inside workerd. Each project has its own global setup, so its own database, SQL endpoint and fakes, and
 * runs its files one after another in one workerd: a workerd per file would import the Worker again and again, which
 * costs more than it saves on two cores. In the "workers" project this is also what lets round trips be counted at its
 * one SQL endpoint; tests do not rely on empty storage (unique numbers and client addresses), so sharing it is safe.
 *
 * As one file in a whole run (projectFiles), the projects also run side by side: Vitest does that only within a
 * group of equal maxWorkers, and one file takes one worker anyway. Files named on the command line run in a group of
 * their own with maxWorkers 1.
 */
function apiProject(name: string, include: string[], options: {
  exclude?: string[]
  /** Bindings that differ from testBindings. */
  bindings?: (inject: Inject) => Record<string, string>
} = {}): TestProjectInlineConfiguration {
  const { plugin, ...files } = projectFiles(include, options.exclude)
  return {
    extends: true,
    plugins: [
      cloudflareTest(({ inject }) => ({
        main: './src/index.ts',
        wrangler: { configPath: './wrangler.toml' },
        miniflare: {
          bindings: {
            ...testBindings(inject),
            ...options.bindings?.(inject),
          },
        },
      })),
      plugin,
    ],
    test: {
      name,
      globalSetup: [GLOBAL_SETUP],
      setupFiles: VERBOSE_LOGS
        ? []
        : [WORKER_LOG_BUFFER],
      ...files,
      isolate: false,
      // These run beside Chromium and the other projects on as few as two cores, where a test that takes half a
      // second alone can take several; time limits are the bench's job (npm run bench), not the tests'.
      testTimeout: 30_000,
      ...(filesAsOne
        ? { maxWorkers: MAX_WORKERS }
        : {
            maxWorkers: 1,
            sequence: { groupOrder: 1 },
          }),
    },
  }
}

/**
 * `virtual:project-test-files` for test/support/project-files.ts: the project's test files, each imported when called.
 * Every project resolves it to the same id, so the module that imports it is the same in all of them (Vitest caches
 * it for all projects alike); Vitest caches no module that uses import.meta.glob, so each project loads its own.
 */
function projectTestFiles(include: string[], exclude: string[] = []): Plugin {
  const id = 'virtual:project-test-files'
  const globs = [
    ...include.map(glob => `/${glob}`),
    ...exclude.map(glob => `!/${glob}`),
  ]
  return {
    name: 'project-test-files',
    resolveId: source => source === id
      ? id
      : undefined,
    load: loaded => loaded === id
      ? `export default import.meta.glob(${JSON.stringify(globs)})`
      : undefined,
  }
}

export default defineConfig({
  test: {
    reporters: [
      'default',
      ['./test/support/summary-reporter.ts', summary],
    ],
    // The Worker logs a JSON line per request, thousands a run: printed for a failing test only (after its failure),
    // or for every test with VERBOSE_LOGS=1.
    silent: VERBOSE_LOGS
      ? false
      : 'passed-only',
    // Projects run side by side: most files wait on child processes (workerd, Chromium) or on the database, so
    // even a two-core machine keeps several going at once.
    maxWorkers: MAX_WORKERS,
    // Transformed modules are kept in node_modules/.experimental-vitest-cache: each API project would otherwise
    // transform the Worker and its dependencies again, in every run (vitest --clearCache empties it).
    experimental: { fsModuleCache: true },
    sequence: { sequencer: LongestFirst },
    projects: [
      apiProject('workers', ['test/api/**/*.test.ts'], {
        exclude: ['test/api/fuzz.test.ts', 'test/api/webhooks*.test.ts'],
      }),
      // Thousands of requests, with triggers counting every write (test/api/fuzz.test.ts): on a database and Worker
      // of its own, so the triggers touch no other test's data, and it runs beside the other API files.
      apiProject('fuzz', ['test/api/fuzz.test.ts']),
      // With Telegram Gateway as SMS_PROVIDER: the abuse and delivery-failure suites, unchanged, must hold with a
      // provider other than Twilio (test/api/helpers.ts reads the codes from its fake).
      apiProject('workers-telegram', ['test/api/abuse.test.ts', 'test/api/sms-faults.test.ts'], {
        bindings: () => ({ SMS_PROVIDER: 'telegram_gateway' }),
      }),
      // The same Worker with its database behind a fault proxy that can be down, slow or failing
      // (test/support/database-fault-proxy.ts), which its tests steer one at a time (one file: a second would
      // steer the same proxy). Durable Object failures are injected at the binding, in test/api.
      apiProject('faults', ['test/faults/**/*.test.ts'], {
        bindings: inject => ({
          LOCAL_SQL_ENDPOINT: inject('faultySqlEndpoint'),
          // Short, so the slow-database tests are quick; long enough that a loaded machine is not taken for one.
          DB_TIMEOUT_MS: '2000',
          FAULT_CONTROL_ORIGIN: inject('faultControlOrigin'),
        }),
      }),
      // The same Worker with webhooks on, delivering to the fake receiver through Miniflare's local queues
      // (wrangler.toml), retrying at once: on a database and Worker of its own, since its queue consumer writes
      // whenever a batch arrives, which would upset the round trips the "workers" files count.
      apiProject('webhooks', ['test/api/webhooks*.test.ts'], {
        bindings: inject => ({
          WEBHOOK_URL: `${inject('webhookOrigin')}/hooks`,
          WEBHOOK_SECRET: TEST_WEBHOOK_SECRET,
          WEBHOOK_RETRY_BASE_SECONDS: '0',
        }),
      }),
      {
        extends: true,
        test: {
          name: 'node',
          include: ['test/node/**/*.test.ts'],
          environment: 'node',
          // Hooks start databases (PGlite takes seconds), alongside the browser tests: more on a busy machine.
          hookTimeout: 60_000,
        },
      },
      ...(runBrowserTests
        ? [
            browserProject(),
          ]
        : []),
    ],
  },
})
