import type { LedgerRow } from '../db/points'
import type { UserId } from '../domain/user-id'
import type { Services } from './container'
import { applyTransaction, selectLedger } from '../db/points'
import { sha256 } from '../domain/hmac'
import { base64url } from '../domain/random'
import { IdempotencyKeyReused, InsufficientPoints } from '../lib/errors'
import { unknownUser } from './server-users'
import { publishEvents, webhooksOn } from './webhooks'

export const LEDGER_PAGE_SIZE = 20
export const LEDGER_MAX_PAGE_SIZE = 100

function presentEntry(row: LedgerRow) {
  return {
    ...row,
    created_at: new Date(row.created_at).toISOString(),
  }
}

const LEDGER_CURSOR = /^ledger\/(\d{1,18})$/

/** Opaque to clients, as the referral cursors are: base64url of the last row's id. */
function encodeLedgerCursor(id: string): string {
  return base64url(new TextEncoder().encode(`ledger/${id}`))
}

/** The row id in a cursor this service issued; null for anything else. */
export function decodeLedgerCursor(cursor: string): string | null {
  if (!/^[\w-]+$/.test(cursor) || cursor.length % 4 === 1)
    return null
  return LEDGER_CURSOR.exec(atob(cursor.replace(/-/g, '+').replace(/_/g, '/')))?.[1] ?? null
}

/** A page of the user's ledger, newest first; rows are read one past the page to know whether another follows. */
export async function listLedger(services: Services, userId: UserId, limit: number, afterId?: string) {
  const rows = await selectLedger(services.db, userId, limit + 1, afterId)
  if (!rows)
    throw unknownUser({ id: userId })
  const page = rows.slice(0, limit)
  return {
    entries: page.map(presentEntry),
    next_cursor: rows.length > limit
      ? encodeLedgerCursor(page.at(-1)!.id)
      : null,
  }
}

export interface TransactionRequest {
  amount: number
  reason: 'redemption' | 'adjustment'
  reference?: string
}

/**
 * Credits or debits the user once per Idempotency-Key: the key's first request writes the row, a repeat with the same
 * body gets that row back (`replayed`), one with another body is refused. An overdraw is refused and writes nothing.
 */
export async function recordTransaction(services: Services, userId: UserId, request: TransactionRequest, idempotencyKey: string) {
  const reference = request.reference ?? null
  const result = await applyTransaction(services.db, userId, {
    amount: request.amount,
    reason: request.reason,
    reference,
    idempotencyKey,
    requestHash: await sha256(JSON.stringify([request.amount, request.reason, reference])),
  }, webhooksOn(services))
  switch (result.outcome) {
    case 'user_not_found':
      throw unknownUser({ id: userId })
    case 'insufficient_points':
      throw new InsufficientPoints('The user has fewer points than this debit takes; nothing was changed.', {
        errors: [
          { path: 'amount', message: 'More than the balance' },
        ],
      })
    case 'key_reused':
      throw new IdempotencyKeyReused('This Idempotency-Key was already used with another body; use a new key for a new transaction.', {
        errors: [
          { path: 'idempotency-key', message: 'Already used with another body' },
        ],
      })
  }
  publishEvents(services, result.events)
  return {
    entry: presentEntry(result.entry),
    replayed: result.outcome === 'replayed',
  }
}
