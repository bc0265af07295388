import { z } from '@hono/zod-openapi'
import { decodeLedgerCursor, LEDGER_MAX_PAGE_SIZE, LEDGER_PAGE_SIZE } from '../../services/points'
import { decodeReferralCursor, REFERRALS_MAX_PAGE_SIZE, REFERRALS_PAGE_SIZE } from '../../services/profile'

/** A page size and an opaque cursor, as every paged list takes them; `decode` turns a cursor back into its key. */
function pageQuery<Key>(options: {
  items: string
  pageSize: number
  maxPageSize: number
  decode: (cursor: string) => Key | null
  cursorDescription: string
}) {
  const { maxPageSize } = options
  return z.object({
    limit: z.coerce.number<string>('A whole number from 1 to 100').int('A whole number from 1 to 100').min(1, 'At least 1').max(maxPageSize, `At most ${maxPageSize}`).default(options.pageSize).openapi({ description: `${options.items} per page, 1–${maxPageSize}.`, example: options.pageSize }),
    cursor: z.string().max(200, 'Not a cursor from this API').optional().transform((value, ctx) => {
      // Empty means the first page, so a client can always send `cursor=${next_cursor ?? ''}`.
      if (!value)
        return undefined
      const key = options.decode(value)
      if (!key) {
        ctx.addIssue({ code: 'custom', message: 'Not a cursor from this API; use a next_cursor as it was given' })
        return z.NEVER
      }
      return key
    }).openapi({ description: options.cursorDescription }),
  })
}

/** Every list of referrals. */
export function referralsQuery(cursorDescription: string) {
  return pageQuery({
    items: 'Referrals',
    pageSize: REFERRALS_PAGE_SIZE,
    maxPageSize: REFERRALS_MAX_PAGE_SIZE,
    decode: decodeReferralCursor,
    cursorDescription,
  })
}

/** A user's points ledger. */
export const ledgerQuery = pageQuery({
  items: 'Entries',
  pageSize: LEDGER_PAGE_SIZE,
  maxPageSize: LEDGER_MAX_PAGE_SIZE,
  decode: decodeLedgerCursor,
  cursorDescription: 'The `next_cursor` of the previous page; omit for the first page.',
})
