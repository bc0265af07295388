import type { Services } from './container'
import { pingDatabase } from '../db/health'
import { pingKv } from '../kv/health'

export type CheckStatus = 'ok' | 'unavailable'

export interface Health {
  status: CheckStatus
  checks: { database: CheckStatus, kv: CheckStatus }
}

/**
 * Whether each dependency answers, checked side by side. A failure is reported as a status only: its cause (hosts,
 * driver messages) goes to the request's log line, never to whoever calls the public health endpoint.
 */
export async function checkHealth(services: Services, kv: KVNamespace): Promise<{ health: Health, failures: unknown[] }> {
  const failures: unknown[] = []
  const check = (probe: Promise<void>) => probe.then((): CheckStatus => 'ok', (error: unknown): CheckStatus => {
    failures.push(error)
    return 'unavailable'
  })
  const [database, kvStatus] = await Promise.all([
    check(pingDatabase(services.db)),
    check(pingKv(kv)),
  ])
  return {
    health: {
      status: database === 'ok' && kvStatus === 'ok'
        ? 'ok'
        : 'unavailable',
      checks: { database, kv: kvStatus },
    },
    failures,
  }
}
