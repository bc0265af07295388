// Two ways of driving one endpoint. `sequential` sends one request at a time and reads the workerd process's CPU
// clock around each, for a per-request CPU distribution. `underLoad` is autocannon with several connections,
// stopped by a request count or a time limit, whichever comes first, for throughput and latency under load.
import { Agent } from 'node:http'
import autocannon from 'autocannon'
import { send } from './api.ts'
import { percentiles } from './stats.ts'

export interface RequestSpec {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE'
  path: string
  headers: Record<string, string>
  body?: string
}

export interface Endpoint {
  key: string
  title: string
  /** The next request; consumable inputs (codes, refresh tokens, fresh accounts) are used once. */
  next: () => RequestSpec
  /** How many more requests `next` can make; Infinity for endpoints that can repeat forever. */
  available: () => number
  onResponse?: (status: number, body: string) => void
}

export interface Meters {
  /** workerd's CPU clock, ns. */
  cpuNs: () => number
  roundTrips: () => Promise<number>
}

export interface SequentialResult {
  requests: number
  statuses: Record<string, number>
  latencyMs: ReturnType<typeof percentiles>
  /** CPU of the whole workerd process per request, µs. */
  workerdCpuUs: ReturnType<typeof percentiles>
  roundTripsPerRequest: number
  /** The body of the first unsuccessful answer, to explain it. */
  failure?: string
}

export async function sequential(base: URL, endpoint: Endpoint, count: number, meters: Meters): Promise<SequentialResult> {
  const latencies: number[] = []
  const cpu: number[] = []
  const statuses: Record<string, number> = {}
  let failure: string | undefined
  const roundTripsBefore = await meters.roundTrips()
  const total = Math.min(count, endpoint.available())
  // One keep-alive connection for the run, as a client would have; closed at the end so none goes stale.
  const agent = new Agent({ keepAlive: true, maxSockets: 1 })
  try {
    for (let i = 0; i < total; i++) {
      const spec = endpoint.next()
      const cpuBefore = meters.cpuNs()
      const started = performance.now()
      const response = await send(new URL(spec.path, base), spec, agent)
      latencies.push(performance.now() - started)
      cpu.push((meters.cpuNs() - cpuBefore) / 1_000)
      statuses[response.status] = (statuses[response.status] ?? 0) + 1
      if (response.status >= 300)
        failure ??= response.text
      endpoint.onResponse?.(response.status, response.text)
    }
  }
  finally {
    agent.destroy()
  }
  return {
    requests: total,
    statuses,
    latencyMs: percentiles(latencies),
    workerdCpuUs: percentiles(cpu),
    roundTripsPerRequest: total
      ? (await meters.roundTrips() - roundTripsBefore) / total
      : 0,
    failure,
  }
}

export interface LoadResult {
  connections: number
  requests: number
  seconds: number
  requestsPerSecond: number
  statuses: Record<string, number>
  errors: number
  latencyMs: ReturnType<typeof percentiles>
  /** workerd CPU over the run divided by the requests answered, µs. */
  workerdCpuUsPerRequest: number
  roundTripsPerRequest: number
  failure?: string
}

export async function underLoad(base: URL, endpoint: Endpoint, limits: { connections: number, seconds: number, maxRequests: number }, meters: Meters): Promise<LoadResult> {
  const amount = Math.min(limits.maxRequests, endpoint.available())
  const connections = Math.min(limits.connections, amount)
  const latencies: number[] = []
  const statuses: Record<string, number> = {}
  let failure: string | undefined
  const roundTripsBefore = await meters.roundTrips()
  const cpuBefore = meters.cpuNs()
  const started = performance.now()
  let finish!: (result: autocannon.Result) => void
  let fail!: (error: Error) => void
  const done = new Promise<autocannon.Result>((resolve, reject) => {
    finish = resolve
    fail = reject
  })
  const instance = autocannon({
    url: base.origin,
    connections,
    pipelining: 1,
    amount,
    timeout: 10,
    requests: [
      {
        setupRequest: (request: any) => ({
          ...request,
          ...endpoint.next(),
        }),
        onResponse: (status: number, body: string) => {
          if (status >= 300)
            failure ??= body
          endpoint.onResponse?.(status, body)
        },
      },
    ],
  } as autocannon.Options, (error, result) => error
    ? fail(error)
    : finish(result))
  let lastAnswer = started
  let cpuAtLastAnswer = cpuBefore
  instance.on('response', (_client: unknown, status: number, _bytes: number, milliseconds: number) => {
    latencies.push(milliseconds)
    statuses[status] = (statuses[status] ?? 0) + 1
    lastAnswer = performance.now()
    if (latencies.length === amount)
      cpuAtLastAnswer = meters.cpuNs()
  })
  const timer = setTimeout(() => instance.stop(), limits.seconds * 1_000)
  const result = await done
  clearTimeout(timer)
  // autocannon notices the end on its one-second tick; the run lasted until the last answer.
  const seconds = (lastAnswer - started) / 1_000
  const cpuNs = (latencies.length === amount
    ? cpuAtLastAnswer
    : meters.cpuNs()) - cpuBefore
  const answered = latencies.length
  return {
    connections,
    requests: answered,
    seconds,
    requestsPerSecond: answered / seconds,
    statuses,
    errors: result.errors + result.timeouts,
    latencyMs: percentiles(latencies),
    workerdCpuUsPerRequest: answered
      ? cpuNs / 1_000 / answered
      : 0,
    roundTripsPerRequest: answered
      ? (await meters.roundTrips() - roundTripsBefore) / answered
      : 0,
    failure,
  }
}
