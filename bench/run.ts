import type { E164 } from '../src/domain/phone-number.ts'
import type { Tokens } from './api.ts'
// `npm run bench`: what one request costs. Builds the production bundle, runs it in workerd (Miniflare) against the
// local Neon-protocol SQL endpoint on a seeded database (PGlite, or PostgreSQL with BENCH_DATABASE_URL), and measures
// each endpoint: throughput and latency under load (autocannon, loopback only), database round trips per
// request, CPU per request, bundle size, start-up time, how the profile's cost grows with referrals,
// and EXPLAIN of every hot statement. Writes bench/results.json, bench/results.md and bench/latency.svg.
//
//   npm run bench                                                    PGlite
//   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npm run bench   a scratch database on that server
//   BENCH_QUICK=1 npm run bench                                      shorter runs, for trying the benchmark itself
//   npm run bench -- --soak [--duration 5m]                          a bounded soak instead (bench/soak.ts)
//   npm run bench -- --peers [--runs 3]                              beside the peers instead (bench/peers.ts)
//   npm run bench -- --dev-soak [--duration 5m]                      npm run dev's cost and memory (bench/dev-soak.ts)
import type { Explained } from './explain.ts'
import type { Endpoint, LoadResult, Meters, RequestSpec, SequentialResult } from './load.ts'
import type { Report } from './report.ts'
import { execFile, spawnSync } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { availableParallelism, cpus, totalmem } from 'node:os'
import process from 'node:process'
import { promisify } from 'node:util'
import { gzipSync } from 'node:zlib'
import { BUNDLE_BUDGET_GZIP_BYTES } from '../scripts/bundle-budget.ts'
import { call, LoggedHops, phonePool, signIn, SignInCodes, tokensOf } from './api.ts'
import { BENCH_SERVER_KEY, benchBindings } from './bindings.ts'
import { openBenchDatabase, startRecordingProxy } from './database.ts'
import { devSoak } from './dev-soak.ts'
import { explain } from './explain.ts'
import { sequential, underLoad } from './load.ts'
import { runPeers } from './peers.ts'
import { renderLatencySvg, renderMarkdown } from './report.ts'
import { bigInviter, growthInviter, plainUser, SEED, seed, seededId, seededPhone, seededReferralCode, smallInviter } from './seed.ts'
import { parseDuration, soak } from './soak.ts'
import { percentiles } from './stats.ts'
import { startWorker } from './worker.ts'

const QUICK = process.env.BENCH_QUICK === '1'
const SOAK = process.argv.includes('--soak')
const SOAK_DURATION = argument('--duration') ?? '5m'
const PEERS = process.argv.includes('--peers')
const DEV_SOAK = process.argv.includes('--dev-soak')
const LIMITS = {
  /** Connections autocannon keeps open; each has one request in flight. */
  connections: 8,
  /** Each endpoint's load run stops after this long, or after maxRequests, whichever comes first. */
  seconds: QUICK ? 2 : 6,
  maxRequests: QUICK ? 600 : 20_000,
  /** Sign-ins (and so refreshes and activations) prepared for the load runs; each is used once. */
  signIns: QUICK ? 400 : 2_500,
  /** Requests sent one at a time for the per-request CPU distribution. */
  sequential: QUICK ? 60 : 200,
}
const OUT = new URL('./', import.meta.url)
const recentLog: string[] = []
const BUNDLE = 'dist/index.js'
const benchStarted = performance.now()
const say = (message: string) => process.stdout.write(`[bench ${((performance.now() - benchStarted) / 1000).toFixed(0).padStart(3)}s] ${message}\n`)

async function main(): Promise<void> {
  // The peer comparison and the dev server's soak join the last full run's results, so results.md shows them all.
  const previous = previousReport()
  if ((PEERS || DEV_SOAK) && !previous)
    throw new Error('Run `npm run bench` first: these tables go beside its per-endpoint table.')
  if (PEERS) {
    writeReport({
      ...previous!,
      peers: runPeers(Number(argument('--runs') ?? 3), say),
    })
    return
  }
  // ── Bundle ────────────────────────────────────────────────────────────────────────────────────────────────────────
  say('Building the production bundle (npm run build)…')
  const build = spawnSync('npm', [
    'run',
    '--silent',
    'build',
    '--',
    '--metafile',
    'dist/bundle-meta.json',
  ], { encoding: 'utf8' })
  if (build.status !== 0) {
    throw new Error(`npm run build failed:\n${build.stdout}\n${build.stderr}`)
  }
  const bundle = bundleFacts(build.stdout)
  say(`Bundle: ${kib(bundle.minifiedBytes)} minified, ${kib(bundle.gzipBytes)} gzipped.`)
  if (DEV_SOAK) {
    writeReport({ ...previous!, devSoak: await devSoak(parseDuration(SOAK_DURATION), say) })
    return
  }
  if (SOAK) {
    if (!await soak({
      seconds: parseDuration(SOAK_DURATION),
      bundlePath: BUNDLE,
      say,
    })) {
      process.exitCode = 1
    }
    return
  }

  // ── Database ──────────────────────────────────────────────────────────────────────────────────────────────────────
  const db = await openBenchDatabase(process.env.BENCH_DATABASE_URL)
  let closeWorker: (() => Promise<void>) | undefined
  process.on('SIGINT', () => {
    void (async () => {
      await closeWorker?.()
      await db.close()
      process.exit(130)
    })()
  })

  try {
    say(`Seeding ${SEED.users.toLocaleString('en')} users on ${db.engine}…`)
    const seeded = await seed(db.sql)
    say(`Seeded in ${seeded.seconds.toFixed(1)} s: ${JSON.stringify(seeded.counts)}.`)

    const bindings = await benchBindings(db.url)
    const pool = phonePool()
    const inviterCodes = Array.from({ length: SEED.smallInviters }, (_, k) => seededReferralCode(smallInviter(k)))

    // ── Pass 1: counting ────────────────────────────────────────────────────────────────────────────────────────────
    // SQL through a recording proxy and the hops from each request's log line, a few requests per endpoint, one at a time.
    say('Counting round trips and sequential hops per request; recording the SQL sent…')
    const proxy = await startRecordingProxy(db.url)
    const loggedHops = new LoggedHops()
    const countingCodes = new SignInCodes()
    const counting = await startWorker({
      bundlePath: BUNDLE,
      bindings: { ...bindings, LOCAL_SQL_ENDPOINT: proxy.url },
      onLog: (line) => {
        keepLog(line, countingCodes)
        loggedHops.onLog(line)
      },
    })
    closeWorker = counting.close
    const countingState = await prepare(counting.url, countingCodes, pool.splice(0, 40), 8, inviterCodes)
    const counts: Record<string, { roundTrips: number, hops: string[] }> = {}
    const meters = (cpuNs: () => number): Meters => ({ cpuNs, roundTrips: db.roundTrips })
    for (const endpoint of endpoints(countingState)) {
      if (endpoint.key === 'verify_sms')
        await harvestCodes(countingState)
      proxy.label(endpoint.key)
      await loggedHops.take(0)
      const result = await sequential(counting.url, endpoint, 5, meters(counting.cpuNs))
      assertOk(endpoint.key, result)
      // The deepest request of the endpoint's (a refusal's refunds, say, would add a hop).
      const hops = (await loggedHops.take(result.requests)).reduce((deepest, request) => request.length > deepest.length
        ? request
        : deepest)
      counts[endpoint.key] = { roundTrips: result.roundTripsPerRequest, hops }
    }
    await counting.close()
    await proxy.close()

    // ── EXPLAIN ─────────────────────────────────────────────────────────────────────────────────────────────────────
    say('EXPLAIN of each statement sent…')
    const explained: Explained[] = []
    const seen = new Set<string>()
    for (const statement of proxy.recorded) {
      if (seen.has(statement.label) || !Object.hasOwn(counts, statement.label))
        continue
      seen.add(statement.label)
      explained.push(await explain(db.sql, statement))
    }

    // ── Pass 2: timing ──────────────────────────────────────────────────────────────────────────────────────────────
    say('Starting workerd with the bundle (SQL endpoint direct)…')
    const codes = new SignInCodes()
    const worker = await startWorker({
      bundlePath: BUNDLE,
      bindings,
      onLog: line => keepLog(line, codes),
    })
    closeWorker = worker.close
    const coldStarted = performance.now()
    const cold = await call(worker.url, { method: 'GET', path: '/.well-known/jwks.json' })
    const firstRequestMs = performance.now() - coldStarted
    if (cold.status !== 200)
      throw new Error(`The first request answered ${cold.status}.`)
    const startup = { workerdReadyMs: worker.startupMs, firstRequestMs }

    const state = await prepare(worker.url, codes, pool.splice(0, LIMITS.signIns + LIMITS.sequential), 16, inviterCodes)
    const results: Record<string, { title: string, sequential: SequentialResult, load: LoadResult }> = {}
    for (const endpoint of endpoints(state)) {
      if (endpoint.key === 'verify_sms')
        await harvestCodes(state)
      say(`${endpoint.title}: ${LIMITS.sequential} one at a time, then ${LIMITS.connections} connections for ≤ ${LIMITS.seconds} s…`)
      const one = await sequential(worker.url, endpoint, LIMITS.sequential, meters(worker.cpuNs))
      assertOk(endpoint.key, one)
      const load = await underLoad(worker.url, endpoint, LIMITS, meters(worker.cpuNs))
      assertOk(endpoint.key, load)
      results[endpoint.key] = { title: endpoint.title, sequential: one, load }
      say(`  ${load.requestsPerSecond.toFixed(0)} req/s, p50 ${load.latencyMs.p50} ms, p99 ${load.latencyMs.p99} ms; workerd CPU p50 ${one.workerdCpuUs.p50} µs/request.`)
    }

    // ── Growth with referrals ───────────────────────────────────────────────────────────────────────────────────────
    say('Profile cost against the number of referrals…')
    const growth = []
    const profileStatement = proxy.recorded.find(statement => statement.label === 'profile_plain')!
    for (const [k, referrals] of SEED.growth.entries()) {
      const n = growthInviter(k)
      const tokens = await signIn(worker.url, codes, seededPhone(n))
      const profile = fixed('profile', `GET /users/profile/ (${referrals} referrals)`, {
        method: 'GET',
        path: '/users/profile/',
        headers: bearer(tokens.access),
      })
      const run = await sequential(worker.url, profile, LIMITS.sequential, meters(worker.cpuNs))
      assertOk('profile', run)
      const body = (await call(worker.url, { method: 'GET', path: '/users/profile/', token: tokens.access })).body
      const plan = await explain(db.sql, {
        ...profileStatement,
        params: profileStatement.params.map(param => param === state.plain.userId
          ? seededId(n)
          : param),
      })
      growth.push({
        referrals,
        referralsShown: body.referrals.length,
        responseBytes: JSON.stringify(body).length,
        latencyMs: run.latencyMs,
        workerdCpuUs: run.workerdCpuUs,
        roundTripsPerRequest: run.roundTripsPerRequest,
        dbExecutionMs: plan.executionMs,
      })
    }
    // Paging through the longest list: the last page must cost what the first does.
    const longest = await signIn(worker.url, codes, seededPhone(growthInviter(SEED.growth.length - 1)))
    const pages: number[] = []
    let cursor: string | null = ''
    while (cursor !== null) {
      const started = performance.now()
      const page: { status: number, body: { next_cursor: string | null } } = await call(worker.url, { method: 'GET', path: `/users/profile/referrals/?limit=100&cursor=${cursor}`, token: longest.access })
      pages.push(performance.now() - started)
      if (page.status !== 200)
        throw new Error(`A referrals page answered ${page.status}.`)
      cursor = page.body.next_cursor
    }
    const paging = {
      referrals: SEED.growth.at(-1)!,
      pageSize: 100,
      pages: pages.length,
      firstTenMs: percentiles(pages.slice(0, 10)),
      lastTenMs: percentiles(pages.slice(-10)),
    }
    await worker.close()
    closeWorker = undefined

    // ── The handler alone ───────────────────────────────────────────────────────────────────────────────────────────
    say('Handler CPU per request in V8 (Node), database answered from memory…')
    const handler = await handlerCpu({
      bundlePath: BUNDLE,
      sqlEndpoint: db.url,
      bindings: {
        ...wranglerVars(),
        ...bindings,
      },
      phones: {
        inviter1k: seededPhone(growthInviter(2)),
        plain: seededPhone(plainUser + 100),
        fresh: pool.splice(0, 2),
      },
      inviterCode: seededReferralCode(bigInviter),
      warmup: QUICK ? 100 : 300,
      iterations: QUICK ? 300 : 2_000,
    })

    const report = {
      generatedAt: new Date().toISOString(),
      machine: {
        cpu: cpus()[0]?.model ?? 'unknown',
        cores: availableParallelism(),
        memoryGiB: Math.round(totalmem() / 2 ** 30),
        node: process.version,
        workerd: workerdVersion(),
        database: db.engine,
        quick: QUICK,
      },
      limits: LIMITS,
      seed: { ...seeded.counts, seconds: Math.round(seeded.seconds * 10) / 10 },
      bundle,
      startup: { ...startup, nodeImportMs: handler.startup.importMs, nodeFirstRequestMs: handler.firstRequest.ms },
      endpoints: Object.entries(results).map(([key, result]) => ({
        key,
        title: result.title,
        requestsPerSecond: Math.round(result.load.requestsPerSecond),
        latencyMs: result.load.latencyMs,
        roundTripsPerRequest: counts[key]?.roundTrips,
        roundTripsPerRequestUnderLoad: round(result.load.roundTripsPerRequest, 3),
        hops: counts[key]?.hops,
        handlerCpuUs: handler.results[key]?.cpuUs,
        handlerAllThreadsCpuUs: handler.results[key]?.allThreadsCpuUs,
        workerdCpuUs: result.sequential.workerdCpuUs,
        workerdCpuUsPerRequestUnderLoad: Math.round(result.load.workerdCpuUsPerRequest),
        latencyMsOneAtATime: result.sequential.latencyMs,
        statuses: result.load.statuses,
        requests: result.load.requests,
        seconds: round(result.load.seconds, 2),
      })),
      growth,
      paging,
      explain: explained.map(({ plan, ...rest }) => ({
        ...rest,
        plan: plan.split('\n'),
      })),
      totalSeconds: 0,
      peers: previous?.peers,
      devSoak: previous?.devSoak,
    }
    report.totalSeconds = Math.round((performance.now() - benchStarted) / 1000)
    writeReport(report)
  }
  catch (error) {
    console.error(`The Worker's last log lines:\n${recentLog.join('\n')}`)
    throw error
  }
  finally {
    await closeWorker?.()
    await db.close()
  }
}

function argument(flag: string): string | undefined {
  return process.argv.includes(flag)
    ? process.argv[process.argv.indexOf(flag) + 1]
    : undefined
}

function previousReport(): Report | undefined {
  try {
    return JSON.parse(readFileSync(new URL('results.json', OUT), 'utf8')) as Report
  }
  catch {
    return undefined
  }
}

function writeReport(report: Report): void {
  writeFileSync(new URL('results.json', OUT), `${JSON.stringify(report, null, 2)}\n`)
  writeFileSync(new URL('results.md', OUT), renderMarkdown(report))
  writeFileSync(new URL('latency.svg', OUT), renderLatencySvg(report))
  say('Wrote bench/results.json, bench/results.md and bench/latency.svg.')
  process.stdout.write(`\n${renderMarkdown(report)}`)
}

/** The Worker's log feeds the sign-in codes; the last lines are kept to explain a failure. */
function keepLog(line: string, codes: SignInCodes): void {
  codes.onLog(line)
  recentLog.push(line)
  if (recentLog.length > 40)
    recentLog.shift()
}

// ── Helpers ───────────────────────────────────────────────────────────────────────────────────────────────────────

interface State {
  base: URL
  codes: SignInCodes
  /** Numbers for send_sms, each used once; sent ones wait for verify_sms with the code from the log. */
  phones: E164[]
  sent: E164[]
  toVerify: { phone: E164, code: string }[]
  /** New accounts from verify_sms: each refresh token and each activation is used once. */
  refreshTokens: string[]
  newAccounts: string[]
  inviterCodes: string[]
  plain: Tokens
  inviter1k: Tokens
  /** Seeded users signed in for profile edits, so concurrent edits do not queue on one row lock. */
  editors: Tokens[]
  deepCursor: string
}

async function prepare(base: URL, codes: SignInCodes, phones: E164[], editors: number, inviterCodes: string[]): Promise<State> {
  const plain = await signIn(base, codes, seededPhone(plainUser))
  const inviter1k = await signIn(base, codes, seededPhone(growthInviter(2)))
  const signedInEditors: Tokens[] = []
  for (let i = 1; i <= editors; i++)
    signedInEditors.push(await signIn(base, codes, seededPhone(plainUser + i)))
  // A page in the middle of the 1,000-referral list (after 500), reached as a client would.
  let cursor = ''
  for (let page = 0; page < 5; page++)
    cursor = (await call(base, { method: 'GET', path: `/users/profile/referrals/?limit=100&cursor=${cursor}`, token: inviter1k.access })).body.next_cursor
  return {
    base,
    codes,
    phones,
    sent: [],
    toVerify: [],
    refreshTokens: [],
    newAccounts: [],
    inviterCodes,
    plain,
    inviter1k,
    editors: signedInEditors,
    deepCursor: cursor,
  }
}

/** After the send_sms runs: every number sent gets the code the log shows for it. */
async function harvestCodes(state: State): Promise<void> {
  for (const phone of state.sent)
    state.toVerify.push({ phone, code: await state.codes.codeFor(phone) })
  state.sent = []
}

/** A new object each time: autocannon writes Content-Length into the headers it is given. */
function jsonBody(): Record<string, string> {
  return { 'content-type': 'application/json' }
}

function bearer(token: string): Record<string, string> {
  return { authorization: `Bearer ${token}` }
}

function fixed(key: string, title: string, spec: RequestSpec): Endpoint {
  return {
    key,
    title,
    next: () => spec,
    available: () => Infinity,
  }
}

/** Hands out `items` once each, in order. */
function consuming<T>(items: T[], make: (item: T, index: number) => RequestSpec) {
  let used = 0
  return {
    next: () => make(items[Math.min(used, items.length - 1)]!, used++),
    available: () => items.length - used,
  }
}

function endpoints(state: State): Endpoint[] {
  let edits = 0
  return [
    {
      key: 'send_sms',
      title: 'POST /users/auth/send_sms/',
      ...consuming(state.phones, (phone) => {
        state.sent.push(phone)
        return {
          method: 'POST',
          path: '/users/auth/send_sms/',
          headers: jsonBody(),
          body: JSON.stringify({ phone_number: phone }),
        }
      }),
    },
    {
      key: 'verify_sms',
      title: 'POST /users/auth/verify_sms/ (new user)',
      ...consuming(state.toVerify, ({ phone, code }) => ({
        method: 'POST',
        path: '/users/auth/verify_sms/',
        headers: jsonBody(),
        body: JSON.stringify({ phone_number: phone, sms_code: code }),
      })),
      onResponse: (status, body) => {
        if (status !== 200)
          return
        const tokens = tokensOf(JSON.parse(body))
        state.refreshTokens.push(tokens.refresh)
        state.newAccounts.push(tokens.access)
      },
    },
    {
      key: 'refresh',
      title: 'POST /users/auth/refresh/',
      ...consuming(state.refreshTokens, refresh => ({
        method: 'POST',
        path: '/users/auth/refresh/',
        headers: jsonBody(),
        body: JSON.stringify({ refresh }),
      })),
    },
    {
      key: 'activation',
      title: 'PATCH /users/profile/update/ (activate a code)',
      ...consuming(state.newAccounts, (access, i) => ({
        method: 'PATCH',
        path: '/users/profile/update/',
        headers: {
          ...jsonBody(),
          ...bearer(access),
        },
        body: JSON.stringify({ inviter_referral_code: state.inviterCodes[i % state.inviterCodes.length] }),
      })),
    },
    {
      key: 'profile_update',
      title: 'PATCH /users/profile/update/ (names)',
      next: () => {
        edits++
        return {
          method: 'PATCH',
          path: '/users/profile/update/',
          headers: {
            ...jsonBody(),
            ...bearer(state.editors[edits % state.editors.length]!.access),
          },
          body: JSON.stringify({ first_name: `Edit ${edits}` }),
        }
      },
      available: () => Infinity,
    },
    fixed('profile_plain', 'GET /users/profile/ (no referrals)', {
      method: 'GET',
      path: '/users/profile/',
      headers: bearer(state.plain.access),
    }),
    fixed('profile_1k', 'GET /users/profile/ (1,000 referrals)', {
      method: 'GET',
      path: '/users/profile/',
      headers: bearer(state.inviter1k.access),
    }),
    fixed('referrals_page', 'GET /users/profile/referrals/ (page 26 of 50)', {
      method: 'GET',
      path: `/users/profile/referrals/?cursor=${state.deepCursor}`,
      headers: bearer(state.inviter1k.access),
    }),
    fixed('jwks', 'GET /.well-known/jwks.json', { method: 'GET', path: '/.well-known/jwks.json', headers: {} }),
    fixed('sessions_list', 'GET /users/sessions/', {
      method: 'GET',
      path: '/users/sessions/',
      headers: bearer(state.plain.access),
    }),
    // The user has one session, the caller's: each run ends no other, as a repeated call would.
    fixed('sessions_end_others', 'DELETE /users/sessions/ (every other session)', {
      method: 'DELETE',
      path: '/users/sessions/',
      headers: bearer(state.plain.access),
    }),
    fixed('server_user', 'GET /server/v1/users/{id}/', {
      method: 'GET',
      path: `/server/v1/users/${state.plain.userId}/`,
      headers: bearer(BENCH_SERVER_KEY),
    }),
    fixed('server_ledger', 'GET /server/v1/users/{id}/points/ledger/', {
      method: 'GET',
      path: `/server/v1/users/${state.inviter1k.userId}/points/ledger/`,
      headers: bearer(BENCH_SERVER_KEY),
    }),
    {
      key: 'server_transaction',
      title: 'POST /server/v1/users/{id}/points/transactions/ (credit)',
      next: () => ({
        method: 'POST',
        path: `/server/v1/users/${state.editors[++edits % state.editors.length]!.userId}/points/transactions/`,
        headers: {
          ...jsonBody(),
          ...bearer(BENCH_SERVER_KEY),
          'idempotency-key': crypto.randomUUID(),
        },
        body: JSON.stringify({ amount: 1, reason: 'adjustment' }),
      }),
      available: () => Infinity,
    },
  ]
}

/** Every answer must be a success: a benchmark of error responses would measure the wrong thing. */
function assertOk(key: string, result: { statuses: Record<string, number>, failure?: string, errors?: number }): void {
  const failed = Object.entries(result.statuses).filter(([status]) => Number(status) >= 300)
  if (failed.length || result.errors)
    throw new Error(`${key}: unexpected answers ${JSON.stringify(result.statuses)}, ${result.errors ?? 0} connection errors or timeouts. First failure: ${result.failure}`)
}

async function handlerCpu(input: unknown) {
  const { stdout } = await promisify(execFile)(process.execPath, [
    'bench/handler-cpu.ts',
    JSON.stringify(input),
  ], { maxBuffer: 16 * 1024 * 1024 })
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as {
    startup: { importMs: number, importCpuMs: number }
    firstRequest: { ms: number, cpuMs: number }
    results: Record<string, { cpuUs: ReturnType<typeof percentiles>, allThreadsCpuUs: ReturnType<typeof percentiles>, wallUs: ReturnType<typeof percentiles> }>
  }
}

function wranglerVars(): Record<string, string> {
  // The same [vars] the Worker gets from wrangler.toml, for the in-Node run.
  const toml = readFileSync('wrangler.toml', 'utf8')
  const section = /^\[vars\]\n([\s\S]*?)(?:\n\[|$)/m.exec(toml)?.[1] ?? ''
  return Object.fromEntries([
    ...section.matchAll(/^(\w+) = "([^"]*)"/gm),
  ].map(match => [match[1]!, match[2]!]))
}

function bundleFacts(buildLog: string) {
  const code = readFileSync(BUNDLE)
  const wrangler = /Total Upload: ([\d.]+) KiB \/ gzip: ([\d.]+) KiB/.exec(buildLog)
  const meta = JSON.parse(readFileSync('dist/bundle-meta.json', 'utf8')) as { outputs: Record<string, { inputs: Record<string, { bytesInOutput: number }> }> }
  const output = Object.values(meta.outputs).find(candidate => Object.keys(candidate.inputs).length > 0)!
  const byPackage: Record<string, number> = {}
  for (const [path, { bytesInOutput }] of Object.entries(output.inputs)) {
    const inModules = /node_modules\/((?:@[^/]+\/)?[^/]+)\/(.*)$/.exec(path)
    let name = inModules ? inModules[1]! : 'src (this project)'
    if (name === 'zod' && /\/locales\//.test(inModules![2]!))
      name = 'zod (locales)'
    byPackage[name] = (byPackage[name] ?? 0) + bytesInOutput
  }
  return {
    minifiedBytes: code.length,
    gzipBytes: gzipSync(code, { level: 9 }).length,
    wranglerReport: wrangler
      ? {
          totalKiB: Number(wrangler[1]),
          gzipKiB: Number(wrangler[2]),
        }
      : null,
    budgetGzipBytes: BUNDLE_BUDGET_GZIP_BYTES,
    largestInputs: Object.entries(byPackage).sort((a, b) => b[1] - a[1]).slice(0, 10).map(([name, bytes]) => ({ name, minifiedBytes: bytes })),
  }
}

function workerdVersion(): string {
  const result = spawnSync(process.execPath, ['-e', 'console.log(require("workerd/package.json").version)'], { encoding: 'utf8' })
  return result.stdout.trim() || 'unknown'
}

function kib(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KiB`
}

function round(value: number, digits: number): number {
  return Math.round(value * 10 ** digits) / 10 ** digits
}

main().catch((error: unknown) => {
  console.error(error)
  process.exitCode = 1
})
