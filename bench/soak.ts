import type { E164 } from '../src/domain/phone-number.ts'
// `npm run bench -- --soak [--duration 5m]`: a bounded soak. The production bundle runs in workerd against the local
// SQL endpoint (PGlite, or a scratch database on BENCH_DATABASE_URL's server) while a few clients on loopback send
// mixed traffic for the whole duration: sign-ins, refreshes, profile reads and edits, activations, referral pages,
// sign-outs, JWKS and health checks, and requests that must be refused. Every answer is checked against the statuses
// its request may get; anything else, or a failed connection, is an error. workerd's resident memory is sampled
// throughout. The run fails unless there were no errors and memory stayed flat. Writes bench/soak-results.json.
import type { Tokens } from './api.ts'
import { writeFileSync } from 'node:fs'
import { Agent } from 'node:http'
import { availableParallelism, cpus } from 'node:os'
import process from 'node:process'
import { phonePool, send, signIn, SignInCodes, tokensOf } from './api.ts'
import { benchBindings } from './bindings.ts'
import { openBenchDatabase } from './database.ts'
import { percentiles } from './stats.ts'
import { startWorker } from './worker.ts'

export interface SoakOptions {
  seconds: number
  bundlePath: string
  say: (message: string) => void
}

const CLIENTS = 8
const SAMPLE_EVERY_MS = 5_000
/** How far memory may drift over the steady part of the run and still count as flat (see `flatness`). */
const FLAT_TOLERANCE = { ratio: 0.1, bytes: 16 * 2 ** 20 }

interface Client {
  agent: Agent
  phones: E164[]
  next: number
  tokens?: Tokens
}

interface Action {
  name: string
  weight: number
  /** Statuses this request may get; anything else is an error. */
  expect: number[]
  run: (client: Client) => Promise<{ status: number, text: string } | undefined>
}

/** "300", "300s", "5m" → seconds. */
export function parseDuration(text: string): number {
  const match = /^(\d+(?:\.\d+)?)([sm]?)$/.exec(text.trim())
  if (!match)
    throw new Error(`--duration takes seconds or minutes, e.g. 300, 90s or 5m; got "${text}"`)
  return Number(match[1]) * (match[2] === 'm'
    ? 60
    : 1)
}

export async function soak(options: SoakOptions): Promise<boolean> {
  const { say } = options
  const db = await openBenchDatabase(process.env.BENCH_DATABASE_URL)
  const codes = new SignInCodes()
  const worker = await startWorker({
    bundlePath: options.bundlePath,
    bindings: await benchBindings(db.url),
    onLog: codes.onLog,
  })

  try {
    const base = worker.url
    const pool = phonePool()
    const clients: Client[] = Array.from({ length: CLIENTS }, (_, i) => ({
      agent: new Agent({ keepAlive: true, maxSockets: 1 }),
      phones: pool.filter((_, k) => k % CLIENTS === i),
      next: 0,
    }))
    // Codes to activate: everyone who signed in so far, shared by all clients.
    const referralCodes: string[] = []

    const request = (client: Client, method: string, path: string, body?: unknown, token?: string) => send(new URL(path, base), {
      method,
      headers: {
        ...(body === undefined
          ? {}
          : { 'content-type': 'application/json' }),
        ...(token
          ? { authorization: `Bearer ${token}` }
          : {}),
      },
      body: body === undefined
        ? undefined
        : JSON.stringify(body),
    }, client.agent)

    async function signInNext(client: Client) {
      const phone = client.phones[client.next++ % client.phones.length]!
      client.tokens = await signIn(base, codes, phone)
      referralCodes.push(client.tokens.referralCode)
      return { status: 200, text: '' }
    }
    const signedIn = async (client: Client) => client.tokens ?? (await signInNext(client), client.tokens!)

    const actions: Action[] = [
      {
        name: 'sign-in (send_sms + verify_sms)',
        weight: 2,
        expect: [200],
        run: signInNext,
      },
      {
        name: 'GET /users/profile/',
        weight: 6,
        expect: [200],
        run: async client => request(client, 'GET', '/users/profile/', undefined, (await signedIn(client)).access),
      },
      {
        name: 'GET /users/profile/referrals/',
        weight: 2,
        expect: [200],
        run: async client => request(client, 'GET', '/users/profile/referrals/?limit=5', undefined, (await signedIn(client)).access),
      },
      {
        name: 'PATCH names',
        weight: 3,
        expect: [200],
        run: async client => request(client, 'PATCH', '/users/profile/update/', { first_name: `Soak ${Date.now() % 1000}` }, (await signedIn(client)).access),
      },
      {
        name: 'PATCH activation',
        weight: 2,
        // 409: already activated, or the code's owner was invited by this user; 422: the user's own code.
        expect: [200, 409, 422],
        run: async (client) => {
          const tokens = await signedIn(client)
          const code = referralCodes[Math.floor(Math.random() * referralCodes.length)]!
          return request(client, 'PATCH', '/users/profile/update/', { inviter_referral_code: code }, tokens.access)
        },
      },
      {
        name: 'POST /users/auth/refresh/',
        weight: 2,
        expect: [200],
        run: async (client) => {
          const answer = await request(client, 'POST', '/users/auth/refresh/', { refresh: (await signedIn(client)).refresh })
          if (answer.status === 200) {
            client.tokens = tokensOf({
              ...JSON.parse(answer.text),
              user: { id: client.tokens!.userId, referral_code: client.tokens!.referralCode },
            })
          }
          return answer
        },
      },
      {
        name: 'POST /users/auth/logout/',
        weight: 1,
        expect: [204],
        run: async (client) => {
          const answer = await request(client, 'POST', '/users/auth/logout/', { refresh: (await signedIn(client)).refresh })
          client.tokens = undefined
          return answer
        },
      },
      {
        name: 'GET /.well-known/jwks.json',
        weight: 1,
        expect: [200],
        run: client => request(client, 'GET', '/.well-known/jwks.json'),
      },
      {
        name: 'GET /health',
        weight: 1,
        expect: [200],
        run: client => request(client, 'GET', '/health'),
      },
      {
        name: 'refused: invalid number',
        weight: 1,
        expect: [400],
        run: client => request(client, 'POST', '/users/auth/send_sms/', { phone_number: '12345' }),
      },
      {
        name: 'refused: wrong code',
        weight: 1,
        expect: [400],
        run: client => request(client, 'POST', '/users/auth/verify_sms/', { phone_number: '+79990000000', sms_code: '000000' }),
      },
      {
        name: 'refused: bad token',
        weight: 1,
        expect: [401],
        run: client => request(client, 'GET', '/users/profile/', undefined, 'not-a-token'),
      },
    ]
    const totalWeight = actions.reduce((sum, action) => sum + action.weight, 0)
    const pick = () => {
      let r = Math.random() * totalWeight
      return actions.find(action => (r -= action.weight) < 0) ?? actions[0]!
    }

    const stats = new Map(actions.map(action => [
      action.name,
      { latencies: [] as number[], statuses: {} as Record<string, number> },
    ]))
    const errors: string[] = []
    let errorCount = 0
    const memory: { at: number, workerdRss: number, benchRss: number }[] = []
    const started = performance.now()
    const deadline = started + options.seconds * 1_000
    const sample = () => memory.push({
      at: Math.round((performance.now() - started) / 1_000),
      workerdRss: worker.rssBytes(),
      benchRss: process.memoryUsage.rss(),
    })
    sample()
    const sampler = setInterval(sample, SAMPLE_EVERY_MS)
    const progress = setInterval(() => {
      const done = [
        ...stats.values(),
      ].reduce((sum, s) => sum + s.latencies.length, 0)
      say(`soak: ${Math.round((performance.now() - started) / 1_000)} s, ${done.toLocaleString('en')} requests, ${errorCount} errors, workerd RSS ${mib(worker.rssBytes())}`)
    }, 30_000)

    say(`Soak: ${CLIENTS} clients, mixed traffic for ${options.seconds} s…`)
    await Promise.all(clients.map(async (client) => {
      while (performance.now() < deadline) {
        const action = pick()
        const t0 = performance.now()
        try {
          const answer = await action.run(client)
          const entry = stats.get(action.name)!
          entry.latencies.push(performance.now() - t0)
          const status = answer?.status ?? 0
          entry.statuses[status] = (entry.statuses[status] ?? 0) + 1
          if (!action.expect.includes(status)) {
            errorCount++
            if (errors.length < 10)
              errors.push(`${action.name}: ${status} ${answer?.text.slice(0, 200)}`)
          }
        }
        catch (error) {
          errorCount++
          if (errors.length < 10)
            errors.push(`${action.name}: ${String(error)}`)
          client.tokens = undefined
        }
      }
      client.agent.destroy()
    }))
    clearInterval(sampler)
    clearInterval(progress)
    sample()

    const seconds = (performance.now() - started) / 1_000
    const requests = [
      ...stats.values(),
    ].reduce((sum, s) => sum + s.latencies.length, 0)
    const flat = flatness(memory.map(m => ({ at: m.at, rss: m.workerdRss })), seconds)
    const [{ users }] = await db.sql.query('SELECT count(*)::int AS users FROM users') as [{ users: number }]
    const [{ off }] = await db.sql.query(`SELECT count(*)::int AS off FROM users u
      WHERE u.points <> coalesce((SELECT sum(amount) FROM points_ledger WHERE user_id = u.id), 0)`) as [{ off: number }]
    const report = {
      generatedAt: new Date().toISOString(),
      machine: {
        cpu: cpus()[0]?.model ?? 'unknown',
        cores: availableParallelism(),
        node: process.version,
        database: db.engine,
      },
      clients: CLIENTS,
      seconds: Math.round(seconds),
      requests,
      requestsPerSecond: Math.round(requests / seconds),
      errors: errorCount,
      firstErrors: errors,
      balancesOffTheirLedger: off,
      users,
      memory: {
        workerdRssMiB: {
          start: mibNumber(memory[0]!.workerdRss),
          end: mibNumber(memory.at(-1)!.workerdRss),
          max: mibNumber(Math.max(...memory.map(m => m.workerdRss))),
        },
        benchProcessRssMiB: {
          start: mibNumber(memory[0]!.benchRss),
          end: mibNumber(memory.at(-1)!.benchRss),
        },
        flat,
        samples: memory.map(m => ({
          at: m.at,
          workerdRssMiB: mibNumber(m.workerdRss),
        })),
      },
      actions: Object.fromEntries([...stats].map(([name, s]) => [
        name,
        {
          requests: s.latencies.length,
          statuses: s.statuses,
          latencyMs: percentiles(s.latencies),
        },
      ])),
    }
    writeFileSync(new URL('soak-results.json', import.meta.url), `${JSON.stringify(report, null, 2)}\n`)
    say(`Soak done: ${requests.toLocaleString('en')} requests in ${Math.round(seconds)} s (${report.requestsPerSecond}/s), ${errorCount} errors, `
      + `${off} balances off their ledger; workerd RSS ${report.memory.workerdRssMiB.start} → ${report.memory.workerdRssMiB.end} MiB `
      + `(max ${report.memory.workerdRssMiB.max}; after the ${flat.warmUpSeconds} s warm-up, first third ${flat.firstThirdMiB}, last third ${flat.lastThirdMiB} MiB: ${flat.flat ? 'flat' : 'NOT FLAT'}). Wrote bench/soak-results.json.`)
    for (const error of errors)
      say(`  error: ${error}`)
    return errorCount === 0 && off === 0 && flat.flat
  }
  finally {
    await worker.close()
    await db.close()
  }
}

/**
 * workerd's resident memory climbs while V8 and the allocator warm up (about a minute and a half at this load), then
 * levels off; a leak keeps climbing. So the samples after the warm-up (the later of 60 s and 30 % of the run) are
 * split in three, and memory is flat when the last third's median is within the tolerance of the first third's.
 */
export function flatness(samples: { at: number, rss: number }[], seconds: number) {
  const warmUp = Math.max(60, seconds * 0.3)
  const steady = samples.filter(sample => sample.at >= warmUp).map(sample => sample.rss)
  const third = Math.max(1, Math.floor(steady.length / 3))
  const median = (values: number[]) => values.toSorted((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0
  const first = median(steady.slice(0, third))
  const last = median(steady.slice(-third))
  const tolerance = Math.max(first * FLAT_TOLERANCE.ratio, FLAT_TOLERANCE.bytes)
  return {
    warmUpSeconds: Math.round(warmUp),
    steadySamples: steady.length,
    firstThirdMiB: mibNumber(first),
    lastThirdMiB: mibNumber(last),
    toleranceMiB: mibNumber(tolerance),
    // Too short a run has no steady state to judge.
    flat: steady.length >= 6 && last - first <= tolerance,
  }
}

function mibNumber(bytes: number): number {
  return Math.round(bytes / 2 ** 20 * 10) / 10
}

function mib(bytes: number): string {
  return `${mibNumber(bytes)} MiB`
}
