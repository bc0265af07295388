// Runs the built production bundle in workerd through Miniflare, the way `wrangler dev` does, but with what the
// benchmark needs in hand: the Worker's log (where the console SMS sender writes sign-in codes), the workerd
// process for CPU accounting.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import process from 'node:process'
import { convertV4MiniflareOptions, Miniflare } from 'miniflare'
import { unstable_getMiniflareWorkerOptions } from 'wrangler'

export interface WorkerOptions {
  bundlePath: string
  /** Bindings on top of wrangler.toml's [vars]: secrets, the SQL endpoint, development settings. */
  bindings: Record<string, string>
  onLog: (line: string) => void
  /** Where workerd listens (127.0.0.1); any free port when left out. */
  port?: number
}

export interface RunningWorker {
  url: URL
  /** From `new Miniflare()` to workerd answering: process start, compiling and evaluating the bundle. */
  startupMs: number
  /** CPU time consumed so far by the workerd process (all threads), in nanoseconds. */
  cpuNs: () => number
  /** Resident memory of the workerd process, in bytes. */
  rssBytes: () => number
  close: () => Promise<void>
}

export async function startWorker(options: WorkerOptions): Promise<RunningWorker> {
  // Compatibility date and flags, [vars] and the Durable Object bindings exactly as wrangler.toml declares them.
  const { workerOptions: fromWrangler } = unstable_getMiniflareWorkerOptions('wrangler.toml')
  const app = {
    name: 'app',
    modules: true,
    scriptPath: options.bundlePath,
    compatibilityDate: fromWrangler.compatibilityDate,
    compatibilityFlags: fromWrangler.compatibilityFlags,
    durableObjects: fromWrangler.durableObjects,
    bindings: {
      ...fromWrangler.bindings as Record<string, string>,
      ...options.bindings,
    },
  }
  const storage = localStorageDir()
  // tmpfs is memory: removed however this process ends (a signal to the process group takes workerd first).
  const removeStorage = () => rmSync(storage, { recursive: true, force: true })
  process.once('exit', removeStorage)
  const before = new Set(childPids())
  const started = performance.now()
  const mf = new Miniflare(convertV4MiniflareOptions({
    host: '127.0.0.1',
    port: options.port ?? 0,
    telemetry: { enabled: false },
    enableDevRegistry: false,
    resourcePersistencePath: storage,
    handleStructuredLogs: log => options.onLog(log.message),
    workers: [app],
  } as Parameters<typeof convertV4MiniflareOptions>[0]))
  const url = await mf.ready
  const startupMs = performance.now() - started
  const pid = childPids().find(child => !before.has(child) && readFileSync(`/proc/${child}/comm`, 'utf8').trim() === 'workerd')
  if (!pid)
    throw new Error('Could not find the workerd process Miniflare started.')

  return {
    url,
    startupMs,
    cpuNs: () => processCpuNs(pid),
    rssBytes: () => processRssBytes(pid),
    close: async () => {
      try {
        await mf.dispose()
      }
      finally {
        removeStorage()
        process.off('exit', removeStorage)
      }
    },
  }
}

/**
 * Where Miniflare keeps the Durable Objects' SQLite files: in memory (tmpfs) where the machine has one. On disk,
 * every new phone number's object is a new file, fsynced on each write — the machine's disk work standing in for
 * Cloudflare's storage, which production does not run on the Worker's CPU (it was a third of workerd's CPU per
 * sign-in). The objects and their SQLite run exactly the same.
 */
function localStorageDir(): string {
  return mkdtempSync(join(existsSync('/dev/shm')
    ? '/dev/shm'
    : tmpdir(), 'phone-auth-bench-'))
}

function childPids(): number[] {
  const pids: number[] = []
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry))
      continue
    try {
      // Fields after the parenthesised command name: state, then the parent pid.
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8')
      if (stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1] === String(process.pid))
        pids.push(Number(entry))
    }
    catch {
      // The process ended while we looked.
    }
  }
  return pids
}

/** Sum of every thread's time on CPU, from the scheduler's own nanosecond accounting (/proc/<pid>/task/<tid>/schedstat). */
export function processCpuNs(pid: number): number {
  let total = 0
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      total += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0])
    }
    catch {
      // A thread that just exited.
    }
  }
  return total
}

/** VmRSS from /proc/<pid>/status (in kB there). */
export function processRssBytes(pid: number): number {
  const kb = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]
  return Number(kb ?? 0) * 1024
}
