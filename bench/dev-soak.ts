// `npm run bench -- --dev-soak [--duration 5m]`: what `npm run dev` costs per request, and whether its memory stays
// flat. The same profile read is served first by the production bundle in workerd (bench/peer-serve.ts) for a
// baseline, then by the dev server (scripts/dev.ts: wrangler dev) for the whole duration; both run as child processes
// against the local SQL endpoint on a scratch database of the PostgreSQL server in BENCH_DATABASE_URL (default
// postgres@127.0.0.1:5432), so each one's CPU is its whole process tree's, endpoint included. Targets (issue 13): the
// dev server within 2x of the bundle's CPU per read, and its workerd processes' memory flat.
import type { ChildProcess } from 'node:child_process'
import type { E164 } from '../src/domain/phone-number.ts'
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { createServer } from 'node:net'
import process from 'node:process'
import autocannon from 'autocannon'
import { createTestDatabase } from '../test/support/test-database.ts'
import { call, phonePool, signIn, SignInCodes } from './api.ts'
import { treeCpuNs, workerdRssBytes } from './process-tree.ts'
import { flatness } from './soak.ts'

export interface DevSoakReport {
  generatedAt: string
  seconds: number
  connections: number
  /** Whole process tree CPU per profile read, in ms: the bundle in workerd, and `npm run dev`. */
  bundleCpuMsPerRead: number
  devCpuMsPerRead: number
  bundleReadsPerSecond: number
  devReadsPerSecond: number
  /** One sample per interval of the soak: when, reads/s and CPU per read in it, each workerd process's RSS (MiB). */
  samples: { at: number, readsPerSecond: number, cpuMsPerRead: number, workerdRssMiB: number[] }[]
  flat: ReturnType<typeof flatness>
}

export const DEV_CPU_TARGET_RATIO = 2
const CONNECTIONS = 8
const BASELINE_SECONDS = 20
const SAMPLE_SECONDS = 15
const SERVER_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'

export async function devSoak(seconds: number, say: (message: string) => void): Promise<DevSoakReport> {
  const phones = phonePool()
  say(`Baseline: the bundle in workerd, profile reads for ${BASELINE_SECONDS} s…`)
  const baseline = await withServer('bundle', phones.pop()!, async (server) => {
    const [sample] = await readFor(server, BASELINE_SECONDS, BASELINE_SECONDS)
    return sample!
  })
  say(`  ${baseline.readsPerSecond.toFixed(0)} reads/s, ${baseline.cpuMsPerRead.toFixed(2)} ms CPU per read.`)
  say(`npm run dev: profile reads for ${seconds} s, sampled every ${SAMPLE_SECONDS} s…`)
  const samples = await withServer('dev', phones.pop()!, server => readFor(server, seconds, SAMPLE_SECONDS, (sample) => {
    say(`  ${sample.at} s: ${sample.readsPerSecond.toFixed(0)} reads/s, ${sample.cpuMsPerRead.toFixed(2)} ms CPU per read, workerd RSS ${sample.workerdRssMiB.join(' + ')} MiB`)
  }))
  const total = (key: 'readsPerSecond' | 'cpuMsPerRead') => samples.reduce((sum, sample) => sum + sample[key], 0) / samples.length
  return {
    generatedAt: new Date().toISOString(),
    seconds,
    connections: CONNECTIONS,
    bundleCpuMsPerRead: baseline.cpuMsPerRead,
    devCpuMsPerRead: total('cpuMsPerRead'),
    bundleReadsPerSecond: baseline.readsPerSecond,
    devReadsPerSecond: total('readsPerSecond'),
    samples,
    flat: flatness(samples.map(sample => ({ at: sample.at, rss: sample.workerdRssMiB.reduce((sum, mib) => sum + mib, 0) * 2 ** 20 })), seconds),
  }
}

interface Server {
  base: URL
  pid: number
  token: string
}

type Sample = DevSoakReport['samples'][number]

/** Starts one kind of server on a fresh database, signs one user in, runs `use`, and stops it all. */
async function withServer<T>(kind: 'bundle' | 'dev', phone: E164, use: (server: Server) => Promise<T>): Promise<T> {
  const database = await createTestDatabase(SERVER_URL)
  const port = await freePort()
  const codes = new SignInCodes()
  const child = kind === 'bundle'
    ? spawn(process.execPath, ['bench/peer-serve.ts'], {
        env: {
          ...process.env,
          PORT: String(port),
          SQL_PORT: '0',
          LOCAL_DATABASE_URL: database.url,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: true,
      })
    : spawn(process.execPath, ['scripts/dev.ts'], {
        env: {
          ...process.env,
          PORT: String(port),
          LOCAL_DATABASE_URL: database.url,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: true,
      })
  try {
    await untilReady(child, port, (line) => {
      // The serve script prints "sms <masked> <code>"; the dev server prints the console SMS sender's own line.
      const sms = /^sms (\S+) (\d+)$|\[sms to (\S+)\] (\d+) /.exec(line)
      if (sms)
        codes.onLog(`[sms to ${sms[1] ?? sms[3]}] ${sms[2] ?? sms[4]} `)
    })
    const base = new URL(`http://127.0.0.1:${port}`)
    const { access } = await signIn(base, codes, phone)
    return await use({ base, pid: child.pid!, token: access })
  }
  finally {
    const exited = once(child, 'exit')
    process.kill(-child.pid!, 'SIGTERM')
    await exited
    await database.drop()
  }
}

/** Reads the profile for `seconds` with autocannon, in samples of `every` seconds. */
async function readFor(server: Server, seconds: number, every: number, onSample?: (sample: Sample) => void): Promise<Sample[]> {
  const samples: Sample[] = []
  for (let at = every; at <= seconds; at += every) {
    const cpuBefore = treeCpuNs(server.pid)
    const run = await autocannon({
      url: new URL('/users/profile/', server.base).href,
      connections: CONNECTIONS,
      duration: every,
      headers: { authorization: `Bearer ${server.token}` },
    })
    if (run.non2xx || run.errors)
      throw new Error(`Profile reads failed: ${run.non2xx} non-2xx answers, ${run.errors} errors.`)
    const sample = {
      at,
      readsPerSecond: run.requests.total / every,
      cpuMsPerRead: (treeCpuNs(server.pid) - cpuBefore) / 1e6 / run.requests.total,
      workerdRssMiB: workerdRssBytes(server.pid).map(bytes => Math.round(bytes / 2 ** 20)),
    }
    samples.push(sample)
    onSample?.(sample)
  }
  return samples
}

/** Resolves once the server answers its health check; feeds every output line to `onLine`. */
async function untilReady(child: ChildProcess, port: number, onLine: (line: string) => void): Promise<void> {
  let tail = ''
  for (const stream of [child.stdout!, child.stderr!]) {
    let pending = ''
    stream.setEncoding('utf8').on('data', (chunk: string) => {
      tail = (tail + chunk).slice(-4000)
      const lines = (pending + chunk).split('\n')
      pending = lines.pop()!
      // eslint-disable-next-line no-control-regex -- wrangler colours its output
      lines.forEach(line => onLine(line.replace(/\x1B\[[\d;]*m/g, '')))
    })
  }
  const deadline = performance.now() + 120_000
  while (performance.now() < deadline) {
    if (child.exitCode !== null)
      break
    try {
      if ((await call(new URL(`http://127.0.0.1:${port}`), { method: 'GET', path: '/.well-known/jwks.json' })).status === 200)
        return
    }
    catch {
      // Not listening yet.
    }
    await new Promise(resolve => setTimeout(resolve, 500))
  }
  throw new Error(`The server did not start:\n${tail}`)
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    }).on('error', reject)
  })
}
