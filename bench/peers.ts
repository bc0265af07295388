// `npm run bench -- --peers [--runs 3]`: this project beside the systems people use instead, on this machine in one
// run each time (the shared harness, ../shared/peers: README.md and CONTRACT.md there), with bench/peer-adapter.mjs.
// The harness is copied to a temporary directory (shared/ may be read-only) and installed there. Each run prints its
// own table; the medians over runs, and the median of each run's ratio against the best peer, go into
// bench/results.json and bench/results.md. Needs PostgreSQL at 127.0.0.1:5432 (user postgres); peers create their own
// peer_* databases.
import { execFileSync, spawnSync } from 'node:child_process'
import { cpSync, existsSync, mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import process from 'node:process'
import { fileURLToPath } from 'node:url'

const HARNESS = process.env.PEERS_DIR ?? fileURLToPath(new URL('../../shared/peers', import.meta.url))
const PEERS = ['phone-auth', 'drf-seed', 'better-auth']
const DRF_PACKAGES = 'python3-django python3-djangorestframework python3-djangorestframework-simplejwt python3-psycopg2 gunicorn'

/** One peer's figures from one run of the harness (its results.json). */
interface PeerRun {
  name: string
  error?: string
  rssIdle?: number | null
  rssPeak?: number | null
  A?: { rate: number, cpuMsPerRequest: Record<string, number> }
  B?: { rate: number, cpuMsPerSignIn: Record<string, number> }
  C?: { rate: number, cpuMsPerActivation: Record<string, number> }
}

/** What is compared, and which way is better. */
export const PEER_METRICS = {
  readsPerSecond: {
    title: 'A profile reads/s',
    better: 'higher',
    of: (r: PeerRun) => r.A?.rate,
  },
  signInsPerSecond: {
    title: 'B whole sign-ins/s',
    better: 'higher',
    of: (r: PeerRun) => r.B?.rate,
  },
  activationsPerSecond: {
    title: 'C activations/s',
    better: 'higher',
    of: (r: PeerRun) => r.C?.rate,
  },
  cpuMsPerRead: {
    title: 'CPU ms per read (server + PostgreSQL)',
    better: 'lower',
    of: (r: PeerRun) => serverCpu(r.A?.cpuMsPerRequest),
  },
  cpuMsPerSignIn: {
    title: 'CPU ms per sign-in (server + PostgreSQL)',
    better: 'lower',
    of: (r: PeerRun) => serverCpu(r.B?.cpuMsPerSignIn),
  },
  cpuMsPerActivation: {
    title: 'CPU ms per activation (server + PostgreSQL)',
    better: 'lower',
    of: (r: PeerRun) => serverCpu(r.C?.cpuMsPerActivation),
  },
  machineCpuMsPerRead: {
    title: 'CPU ms per read (whole machine)',
    better: 'lower',
    of: (r: PeerRun) => r.A?.cpuMsPerRequest['machine busy (all)'],
  },
  machineCpuMsPerSignIn: {
    title: 'CPU ms per sign-in (whole machine)',
    better: 'lower',
    of: (r: PeerRun) => r.B?.cpuMsPerSignIn['machine busy (all)'],
  },
  machineCpuMsPerActivation: {
    title: 'CPU ms per activation (whole machine)',
    better: 'lower',
    of: (r: PeerRun) => r.C?.cpuMsPerActivation['machine busy (all)'],
  },
  rssIdleMiB: {
    title: 'Server memory idle, MiB',
    better: 'lower',
    of: (r: PeerRun) => mib(r.rssIdle),
  },
  rssPeakMiB: {
    title: 'Server memory peak, MiB',
    better: 'lower',
    of: (r: PeerRun) => mib(r.rssPeak),
  },
} as const
export type PeerMetric = keyof typeof PEER_METRICS

export interface PeersReport {
  generatedAt: string
  runs: number
  peers: string[]
  notes: string[]
  /** Median over runs, per metric and peer. */
  medians: Record<PeerMetric, Record<string, number | null>>
  /** Per metric: the median over runs of phone-auth's figure divided by the best other peer's in the same run. */
  ratioToBestPeer: Record<PeerMetric, number | null>
}

export function runPeers(runs: number, say: (message: string) => void): PeersReport {
  if (!existsSync(join(HARNESS, 'bench.mjs')))
    throw new Error(`No peer harness at ${HARNESS} (set PEERS_DIR).`)
  const work = mkdtempSync(join(tmpdir(), 'peers-'))
  cpSync(HARNESS, work, { recursive: true })
  execFileSync('chmod', ['-R', 'u+w', work])
  say(`Installing the harness in ${work} (npm ci)…`)
  execFileSync('npm', [
    'ci',
    '--prefer-offline',
    '--no-audit',
    '--no-fund',
  ], { cwd: work, stdio: 'pipe' })

  const notes: string[] = []
  const peers = PEERS.filter((peer) => {
    if (peer !== 'drf-seed' || drfInstalled())
      return true
    const note = `drf-seed was not run: its Debian packages are missing (apt-get install -y ${DRF_PACKAGES}).`
    say(note)
    notes.push(note)
    return false
  })
  const results: PeerRun[][] = []
  for (let run = 1; run <= runs; run++) {
    say(`Peer run ${run} of ${runs}: ${peers.join(', ')} (about 2 minutes each)…`)
    const out = join(work, `run-${run}.json`)
    const harness = spawnSync(process.execPath, [
      join(work, 'bench.mjs'),
      '--adapter',
      fileURLToPath(new URL('./peer-adapter.mjs', import.meta.url)),
      '--only',
      peers.join(','),
      '--out',
      out,
    ], { stdio: 'inherit' })
    if (harness.status !== 0)
      throw new Error(`The peer harness failed (exit ${harness.status}).`)
    const ran = (JSON.parse(readFileSync(out, 'utf8')) as { results: PeerRun[] }).results
    for (const failed of ran.filter(peer => peer.error))
      notes.push(`Run ${run}: ${failed.name} failed: ${failed.error!.split('\n')[0]}`)
    results.push(ran)
  }
  return summarise(results, peers, notes)
}

function summarise(runs: PeerRun[][], peers: string[], notes: string[]): PeersReport {
  const medians = {} as PeersReport['medians']
  const ratioToBestPeer = {} as PeersReport['ratioToBestPeer']
  for (const [key, metric] of Object.entries(PEER_METRICS) as [PeerMetric, typeof PEER_METRICS[PeerMetric]][]) {
    medians[key] = Object.fromEntries(peers.map(peer => [
      peer,
      median(runs.map(run => valueOf(run, peer, metric.of))),
    ]))
    ratioToBestPeer[key] = median(runs.map((run) => {
      const ours = valueOf(run, 'phone-auth', metric.of)
      const others = peers.filter(peer => peer !== 'phone-auth').map(peer => valueOf(run, peer, metric.of)).filter(value => value !== null)
      if (ours === null || !others.length)
        return null
      const best = metric.better === 'higher'
        ? Math.max(...others)
        : Math.min(...others)
      return ours / best
    }))
  }
  return {
    generatedAt: new Date().toISOString(),
    runs: runs.length,
    peers,
    notes,
    medians,
    ratioToBestPeer,
  }
}

function valueOf(run: PeerRun[], peer: string, of: (result: PeerRun) => number | null | undefined): number | null {
  const result = run.find(candidate => candidate.name === peer)
  return result && !result.error
    ? of(result) ?? null
    : null
}

function median(values: (number | null)[]): number | null {
  const sorted = values.filter(value => value !== null).sort((a, b) => a - b)
  if (!sorted.length)
    return null
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2
    ? sorted[middle]!
    : (sorted[middle - 1]! + sorted[middle]!) / 2
}

/** What the harness names outside the server: the whole machine, everything else on it, and its own process. */
const NOT_THE_SERVER = new Set(['machine busy (all)', 'other processes (machine busy − the above)', 'driver (this node process)'])

/**
 * The server's process tree and PostgreSQL: unlike the whole machine's figure, it holds on a machine others share
 * (the harness's own load generator is left out; it does the same work for every peer).
 */
function serverCpu(byProcess: Record<string, number> | undefined): number | undefined {
  return byProcess && Object.entries(byProcess).filter(([name]) => !NOT_THE_SERVER.has(name)).reduce((sum, [, ms]) => sum + ms, 0)
}

function mib(bytes: number | null | undefined): number | undefined {
  return bytes == null
    ? undefined
    : bytes / 2 ** 20
}

function drfInstalled(): boolean {
  const python = spawnSync('/usr/bin/python3', ['-c', 'import django, rest_framework, rest_framework_simplejwt, psycopg2'])
  return python.status === 0 && existsSync('/usr/bin/gunicorn')
}
