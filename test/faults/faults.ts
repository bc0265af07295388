// Switches the fault injectors of the "faults" project (see vitest.config.ts) on and off.
import type { DatabaseFault } from '../support/database-fault'
import { env } from 'cloudflare:test'

// A binding only this project's Worker has; the production Env type rightly does not know it.
const faultBindings = env as unknown as { FAULT_CONTROL_ORIGIN: string }

/** Resolves once requests already in the proxy have finished, so the database can be read right after `none`. */
export async function setDatabaseFault(fault: DatabaseFault): Promise<void> {
  const response = await fetch(`${faultBindings.FAULT_CONTROL_ORIGIN}/fault`, {
    method: 'POST',
    body: JSON.stringify(fault),
  })
  if (response.status !== 204)
    throw new Error(`The fault proxy answered ${response.status}`)
}

export async function clearFaults(): Promise<void> {
  await setDatabaseFault({ mode: 'none' })
}
