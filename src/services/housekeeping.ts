import type { Services } from './container'
import { voidExpiredRewards } from '../db/referral-rewards'
import { deleteRetiredRefreshTokens } from '../db/refresh-tokens'
import { deleteStaleNetworks } from '../db/user-networks'
import { deleteDeliveredEvents } from '../db/webhook-events'
import { enqueueEvents, webhooksOn } from './webhooks'

/**
 * Each statement deletes at most about this many rows (whole ended families may add a few), so no run holds locks
 * or a long transaction against the sign-ins and refreshes going on meanwhile.
 */
const BATCH_SIZE = 1_000

/** A run stops after this many batches; the next hourly run carries on where it left off. */
const MAX_BATCHES = 50

/** Network signals are kept this long after last seen: REFERRAL_SAME_NETWORK_HOURS allows at most 720 hours. */
const NETWORK_SIGNAL_RETENTION_DAYS = 30

/** Delivered webhook events are kept this long, for an operator tracing a delivery; dead-lettered ones stay. */
const DELIVERED_EVENT_RETENTION_DAYS = 7

/** Runs `runBatch` until it handles less than a batch or the run's budget is spent; returns how many rows it handled. */
async function inBatches(runBatch: () => Promise<number>): Promise<number> {
  let total = 0
  for (let batch = 0; batch < MAX_BATCHES; batch++) {
    const deleted = await runBatch()
    total += deleted
    if (deleted < BATCH_SIZE)
      break
  }
  return total
}

/**
 * The Cron Trigger's work: every refresh adds a refresh_tokens row, so rows that can never matter again are
 * deleted (see deleteRetiredRefreshTokens for which), batch after batch until none is left or the run's budget is
 * spent. Returns how many rows went, for the run's log line.
 */
export function deleteRetiredSessions(services: Services): Promise<number> {
  return inBatches(() => deleteRetiredRefreshTokens(services.db, services.config.SESSION_RETENTION_DAYS, BATCH_SIZE))
}

/** Every change with webhooks on adds an outbox row: delivered ones go after a week, so the table stays small. */
export function deleteOldWebhookEvents(services: Services): Promise<number> {
  return inBatches(() => deleteDeliveredEvents(services.db, DELIVERED_EVENT_RETENTION_DAYS, BATCH_SIZE))
}

/**
 * Pending referral rewards older than REFERRAL_PENDING_DAYS are voided, batch after batch as deletions are; their
 * referral.voided events go to the queue at once (should the send fail, the run fails, and the sweep sends them).
 * Returns how many rewards.
 */
export function voidExpiredReferralRewards(services: Services): Promise<number> {
  return inBatches(async () => {
    const { voided, events } = await voidExpiredRewards(services.db, services.config.REFERRAL_PENDING_DAYS, BATCH_SIZE, webhooksOn(services))
    await enqueueEvents(services, events)
    return voided
  })
}

/** Every sign-in from a new network adds a signal row: those unseen for 30 days go, so no history outlives its use. */
export function deleteStaleNetworkSignals(services: Services): Promise<number> {
  return inBatches(() => deleteStaleNetworks(services.db, NETWORK_SIGNAL_RETENTION_DAYS, BATCH_SIZE))
}
