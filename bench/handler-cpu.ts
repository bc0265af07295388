// The Worker's own CPU per request, without the runtime around it: the production bundle's fetch handler run in
// Node 22 (V8, like workerd), one request at a time, with Durable Objects in memory and each database round trip answered from
// memory by the response the real database gave for that endpoint (recorded first). Nothing waits on I/O, so
// CPU time around a request (the main thread's, plus the thread pool's where Node runs WebCrypto) is the handler's
// JavaScript, its crypto and its JSON, and not HTTP parsing, the network, or Postgres. workerd freezes its clocks between I/O, so inside the Worker this
// cannot be timed; the benchmark reports whole-process workerd CPU separately.
//
//   node bench/handler-cpu.ts '<json input>'   (run by bench/run.ts in a fresh process; prints JSON)
import { readdirSync, readFileSync } from 'node:fs'
import { register } from 'node:module'
import { performance } from 'node:perf_hooks'
import process from 'node:process'
import { pathToFileURL } from 'node:url'
import { BENCH_SERVER_KEY } from './bindings.ts'
import { percentiles } from './stats.ts'

interface Input {
  bundlePath: string
  sqlEndpoint: string
  bindings: Record<string, string>
  phones: { inviter1k: string, plain: string, fresh: string[] }
  inviterCode: string
  warmup: number
  iterations: number
}

const input = JSON.parse(process.argv[2]!) as Input
const BASE = 'http://phone-auth.bench'

// The Worker's console (request log, console SMS) is kept in memory: printing it is not the handler's work.
const logLines: string[] = []
function keepLine(...parts: unknown[]) {
  logLines.push(parts.map(String).join(' '))
  if (logLines.length > 64)
    logLines.splice(0, 32)
}
for (const method of [
  'log',
  'info',
  'warn',
  'error',
  'debug',
] as const) {
  // eslint-disable-next-line no-console -- the Worker's console output is captured here, not printed
  console[method] = keepLine
}
const report = (value: unknown) => process.stdout.write(`${JSON.stringify(value)}\n`)

// Database round trips: passed through and remembered while recording, answered from memory while measuring.
const realFetch = globalThis.fetch
let replay: { status: number, body: string } | undefined
let lastAnswer: { status: number, body: string } | undefined
globalThis.fetch = async (resource: RequestInfo | URL, init?: RequestInit) => {
  const url = resource instanceof Request
    ? resource.url
    : String(resource)
  if (url !== input.sqlEndpoint)
    return realFetch(resource, init)
  if (!replay) {
    const response = await realFetch(resource, init)
    lastAnswer = { status: response.status, body: await response.text() }
  }
  const answer = replay ?? lastAnswer!
  return new Response(answer.body, {
    status: answer.status,
    headers: { 'content-type': 'application/json' },
  })
}

/** Durable Object storage in memory: the synchronous KV API the objects use, and alarms that never fire. */
function memoryObjectState() {
  const values = new Map<string, unknown>()
  return {
    storage: {
      kv: {
        get: (key: string) => values.get(key),
        put: (key: string, value: unknown) => values.set(key, structuredClone(value)),
        delete: (key: string) => values.delete(key),
      },
      setAlarm: async () => {},
      deleteAll: async () => values.clear(),
    },
  }
}

type ObjectClass = new (state: unknown, env: unknown) => object

/** A namespace whose objects live in this process: one instance per name, as the runtime guarantees. */
function memoryNamespace(ObjectClass: ObjectClass, objectEnv: Record<string, unknown>) {
  const objects = new Map<string, object>()
  return {
    getByName(name: string) {
      let object = objects.get(name)
      if (!object) {
        object = new ObjectClass(memoryObjectState(), objectEnv)
        objects.set(name, object)
      }
      return object
    },
  }
}

const env: Record<string, unknown> = { ...input.bindings }
const ctx = {
  waitUntil: () => {},
  passThroughOnException: () => {},
  props: {},
}

interface WorkerModule {
  default: { fetch: (request: Request, env: unknown, ctx: unknown) => Promise<Response> }
  SignInAttempts: ObjectClass
  RateLimiter: ObjectClass
}
let worker: WorkerModule['default']

/**
 * CPU of libuv's thread pool, where Node runs WebCrypto (workerd runs it on the isolate's own thread). With the
 * main thread's CPU, that is the request's work; V8's background threads (JIT compilation, concurrent GC marking)
 * are left out, and shown separately as the all-threads figure.
 */
function threadPoolCpuNs(): number {
  let total = 0
  for (const tid of threadPool())
    total += Number(readFileSync(`/proc/self/task/${tid}/schedstat`, 'utf8').split(' ')[0])
  return total
}

let poolThreads: string[] | undefined
/** The pool's threads, found once: libuv starts them all at its first job, during the recording below. */
function threadPool(): string[] {
  poolThreads ??= readdirSync('/proc/self/task').filter(tid => readFileSync(`/proc/self/task/${tid}/comm`, 'utf8').startsWith('libuv-worker'))
  return poolThreads
}

function cpuMs(usage: NodeJS.CpuUsage): number {
  return (usage.user + usage.system) / 1_000
}

async function request(method: string, path: string, options: { token?: string, body?: unknown, headers?: Record<string, string> } = {}) {
  const headers: Record<string, string> = { ...options.headers }
  if (options.token)
    headers.authorization = `Bearer ${options.token}`
  if (options.body !== undefined)
    headers['content-type'] = 'application/json'
  const response = await worker.fetch(new Request(`${BASE}${path}`, {
    method,
    headers,
    body: options.body === undefined
      ? undefined
      : JSON.stringify(options.body),
  }), env, ctx)
  const text = await response.text()
  return {
    status: response.status,
    body: text
      ? JSON.parse(text)
      : null,
  }
}

function lastCode(): string {
  for (let i = logLines.length - 1; i >= 0; i--) {
    const code = /^\[sms to \S+\] (\d{4,8}) /.exec(logLines[i]!)?.[1]
    if (code)
      return code
  }
  throw new Error('The console SMS sender wrote no code.')
}

async function signIn(phone: string) {
  await request('POST', '/users/auth/send_sms/', {
    body: { phone_number: phone },
  })
  const verified = await request('POST', '/users/auth/verify_sms/', {
    body: {
      phone_number: phone,
      sms_code: lastCode(),
    },
  })
  if (verified.status !== 200)
    throw new Error(`verify_sms answered ${verified.status}: ${JSON.stringify(verified.body)}`)
  return verified.body as { access: string, refresh: string, user: { id: string, referral_code: string } }
}

interface Scenario {
  key: string
  /** Unmeasured work before each measured request (a verify needs a fresh code). */
  prepare?: () => Promise<void>
  run: () => Promise<{ status: number }>
  dbAnswer?: { status: number, body: string }
}

async function main(): Promise<void> {
  register('./cloudflare-workers-hooks.ts', import.meta.url)
  // Starts the module hooks' thread before the clock does: that start-up is Node's, not the bundle's (it was half of
  // the figure once timed with it).
  await import('cloudflare:workers' as string)
  const importStarted = performance.now()
  const importCpu = process.cpuUsage()
  const bundle = await import(pathToFileURL(input.bundlePath).href) as WorkerModule
  worker = bundle.default
  env.SIGN_IN_ATTEMPTS = memoryNamespace(bundle.SignInAttempts, env)
  env.RATE_LIMITER = memoryNamespace(bundle.RateLimiter, env)
  const startup = {
    importMs: performance.now() - importStarted,
    importCpuMs: cpuMs(process.cpuUsage(importCpu)),
  }

  // Cold: the first request of the isolate validates the configuration and imports the signing keys.
  const coldStarted = performance.now()
  const coldCpu = process.cpuUsage()
  await request('GET', '/.well-known/jwks.json')
  const firstRequest = {
    ms: performance.now() - coldStarted,
    cpuMs: cpuMs(process.cpuUsage(coldCpu)),
  }

  // Recording: each scenario once against the real database, keeping its answer.
  const inviter = await signIn(input.phones.inviter1k)
  const plain = await signIn(input.phones.plain)
  const fresh = await signIn(input.phones.fresh[0]!)
  // Each measured send goes to a number of its own, as real sign-ins do: repeats to one number would be refused by
  // its cooldown and measure the refusal instead.
  let sends = 0
  const nextPhone = () => `+7916${String(++sends).padStart(7, '0')}`
  let verifyPhone = nextPhone()
  const cursor = (await request('GET', '/users/profile/', { token: inviter.access })).body.referrals_next_cursor as string

  const scenarios: Scenario[] = [
    {
      key: 'send_sms',
      run: () => request('POST', '/users/auth/send_sms/', {
        body: {
          phone_number: nextPhone(),
        },
      }),
    },
    {
      key: 'verify_sms',
      prepare: async () => {
        verifyPhone = nextPhone()
        await request('POST', '/users/auth/send_sms/', {
          body: { phone_number: verifyPhone },
        })
      },
      run: () => request('POST', '/users/auth/verify_sms/', {
        body: {
          phone_number: verifyPhone,
          sms_code: lastCode(),
        },
      }),
    },
    {
      key: 'refresh',
      run: () => request('POST', '/users/auth/refresh/', {
        body: { refresh: fresh.refresh },
      }),
    },
    {
      key: 'activation',
      run: () => request('PATCH', '/users/profile/update/', {
        token: fresh.access,
        body: { inviter_referral_code: input.inviterCode },
      }),
    },
    {
      key: 'profile_update',
      run: () => request('PATCH', '/users/profile/update/', {
        token: plain.access,
        body: { first_name: 'Benchmark' },
      }),
    },
    {
      key: 'profile_plain',
      run: () => request('GET', '/users/profile/', { token: plain.access }),
    },
    {
      key: 'profile_1k',
      run: () => request('GET', '/users/profile/', { token: inviter.access }),
    },
    {
      key: 'referrals_page',
      run: () => request('GET', `/users/profile/referrals/?cursor=${cursor}`, { token: inviter.access }),
    },
    {
      key: 'jwks',
      run: () => request('GET', '/.well-known/jwks.json'),
    },
    {
      key: 'server_user',
      run: () => request('GET', `/server/v1/users/${plain.user.id}/`, { token: BENCH_SERVER_KEY }),
    },
    {
      key: 'server_ledger',
      run: () => request('GET', `/server/v1/users/${inviter.user.id}/points/ledger/`, { token: BENCH_SERVER_KEY }),
    },
    {
      key: 'server_transaction',
      run: () => request('POST', `/server/v1/users/${plain.user.id}/points/transactions/`, {
        token: BENCH_SERVER_KEY,
        headers: {
          'idempotency-key': crypto.randomUUID(),
        },
        body: { amount: 1, reason: 'adjustment' },
      }),
    },
  ]

  for (const scenario of scenarios) {
    await scenario.prepare?.()
    lastAnswer = undefined
    const { status } = await scenario.run()
    if (status >= 400)
      throw new Error(`${scenario.key} answered ${status} while recording`)
    scenario.dbAnswer = lastAnswer
  }

  // Measuring: every round trip of a scenario gets its recorded answer back at once.
  const results: Record<string, { cpuUs: ReturnType<typeof percentiles>, allThreadsCpuUs: ReturnType<typeof percentiles>, wallUs: ReturnType<typeof percentiles>, status: number }> = {}
  for (const scenario of scenarios) {
    replay = scenario.dbAnswer ?? { status: 500, body: '{"message":"no database round trip was expected"}' }
    const cpu: number[] = []
    const wall: number[] = []
    let status = 0
    const allThreads: number[] = []
    for (let i = 0; i < input.warmup + input.iterations; i++) {
      await scenario.prepare?.()
      const poolBefore = threadPoolCpuNs()
      const processBefore = process.cpuUsage()
      const loopBefore = performance.eventLoopUtilization()
      const started = performance.now()
      status = (await scenario.run()).status
      const elapsed = (performance.now() - started) * 1_000
      const main = performance.eventLoopUtilization(loopBefore).active * 1_000
      const whole = process.cpuUsage(processBefore)
      const pool = (threadPoolCpuNs() - poolBefore) / 1_000
      if (i >= input.warmup) {
        cpu.push(main + pool)
        allThreads.push(whole.user + whole.system)
        wall.push(elapsed)
      }
    }
    results[scenario.key] = {
      cpuUs: percentiles(cpu),
      allThreadsCpuUs: percentiles(allThreads),
      wallUs: percentiles(wall),
      status,
    }
  }
  replay = undefined

  report({
    node: process.version,
    startup,
    firstRequest,
    results,
  })
}

main().catch((error: unknown) => {
  // console.error is captured above; the benchmark reads this process's stderr.
  process.stderr.write(`${error instanceof Error
    ? error.stack
    : String(error)}\n`)
  process.exitCode = 1
})
