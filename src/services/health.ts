import type { Services } from './container'
import { pingDatabase } from '../db/health'
import { remoteOperation } from '../lib/request-context'

export type CheckStatus = 'ok' | 'unavailable'

export interface Health {
  status: CheckStatus
  checks: { database: CheckStatus, durable_objects: CheckStatus }
}

/**
 * A fresh RateLimiter near the caller: it writes nothing, so nothing is left behind, and no single object takes every
 * monitor's probes.
 */
async function pingDurableObjects(services: Services): Promise<void> {
  const { rateLimiter } = services
  await remoteOperation('durable_object', rateLimiter.get(rateLimiter.newUniqueId()).ping())
}

/**
 * Whether what requests depend on answers — the database and the Durable Objects that hold codes and limits — checked
 * side by side. A failure is reported as a status only: its cause (hosts, driver messages) goes to the request's log
 * line, never to whoever calls the public health endpoint.
 */
export async function checkHealth(services: Services): Promise<{ health: Health, failures: unknown[] }> {
  const failures: unknown[] = []
  const check = (probe: Promise<void>) => probe.then((): CheckStatus => 'ok', (error: unknown): CheckStatus => {
    failures.push(error)
    return 'unavailable'
  })
  const [database, durableObjects] = await Promise.all([
    check(pingDatabase(services.db)),
    check(pingDurableObjects(services)),
  ])
  return {
    health: {
      status: database === 'ok' && durableObjects === 'ok'
        ? 'ok'
        : 'unavailable',
      checks: { database, durable_objects: durableObjects },
    },
    failures,
  }
}
