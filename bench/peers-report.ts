// The peer comparison's section of bench/results.md (see bench/peers.ts).
import type { PeerMetric, PeersReport } from './peers.ts'
import { PEER_METRICS } from './peers.ts'

/** Issue 13's targets: ratios of phone-auth to the best peer (sign-in at least level, reads and activations not behind). */
const TARGETS: Partial<Record<PeerMetric, number>> = {
  readsPerSecond: 1,
  signInsPerSecond: 1,
  activationsPerSecond: 1,
  cpuMsPerSignIn: 1,
}

export function renderPeers(peers: PeersReport): string[] {
  const figure = (value: number | null, key: PeerMetric) => value === null
    ? '–'
    : value.toFixed(/cpu/i.test(key)
        ? 1
        : 0)
  const ratio = (key: PeerMetric) => {
    const value = peers.ratioToBestPeer[key]
    const target = TARGETS[key]
    if (value === null)
      return '–'
    const met = PEER_METRICS[key].better === 'higher'
      ? value >= target!
      : value <= target!
    return `${value.toFixed(2)}${target === undefined
      ? ''
      : met
        ? ' ✓'
        : ' ✗'}`
  }
  return [
    '## Beside the peers',
    '',
    `\`npm run bench -- --peers\` on ${peers.generatedAt.slice(0, 10)}: the shared harness (../shared/peers) with bench/peer-adapter.mjs, ${peers.runs} runs on this machine; medians of the runs. The ratio is phone-auth's figure over the best other peer's, taken within each run, then the median (throughput: ≥ 1 is at least level; CPU and memory: ≤ 1 is at most as much). CPU per operation is the server's processes and PostgreSQL (for phone-auth: workerd, and the local Neon endpoint, which production does not run on our machines), from /proc; the whole machine's figure is shown too, but it counts whatever else the machine was doing. A: authenticated profile reads; B: whole sign-ins of fresh numbers (send the code, read it, verify); C: referral activations (Better Auth has none).`,
    '',
    `| Metric | ${peers.peers.join(' | ')} | phone-auth / best peer |`,
    `| --- | ${peers.peers.map(() => '---:').join(' | ')} | ---: |`,
    ...(Object.keys(PEER_METRICS) as PeerMetric[]).map(key => `| ${PEER_METRICS[key].title} | ${peers.peers.map(peer => figure(peers.medians[key][peer] ?? null, key)).join(' | ')} | ${ratio(key)} |`),
    ...peers.notes.length
      ? [
          '',
          ...peers.notes.map(note => `- ${note}`),
        ]
      : [],
    '',
  ]
}
