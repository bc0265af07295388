import { z } from '@hono/zod-openapi'
import { decodeReferralCursor, REFERRALS_MAX_PAGE_SIZE, REFERRALS_PAGE_SIZE } from '../../services/profile'

/** A page size and a referral cursor, as every list of referrals takes them. */
export function referralsQuery(cursorDescription: string) {
  return z.object({
    limit: z.coerce.number<string>('A whole number from 1 to 100').int('A whole number from 1 to 100').min(1, 'At least 1').max(REFERRALS_MAX_PAGE_SIZE, `At most ${REFERRALS_MAX_PAGE_SIZE}`).default(REFERRALS_PAGE_SIZE).openapi({ description: `Referrals per page, 1–${REFERRALS_MAX_PAGE_SIZE}.`, example: REFERRALS_PAGE_SIZE }),
    cursor: z.string().max(200, 'Not a cursor from this API').optional().transform((value, ctx) => {
    // Empty means the first page, so a client can always send `cursor=${next_cursor ?? ''}`.
      if (!value)
        return undefined
      const key = decodeReferralCursor(value)
      if (!key) {
        ctx.addIssue({ code: 'custom', message: 'Not a cursor from this API; use a next_cursor as it was given' })
        return z.NEVER
      }
      return key
    }).openapi({ description: cursorDescription }),
  })
}
