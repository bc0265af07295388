import type { ReferralRewardsRow, Settlement } from '../db/referral-rewards'
import type { ReferralKey } from '../db/user-row'
import type { UserId } from '../domain/user-id'
import type { Services } from './container'
import { selectFlaggedReferrals, settleReferral } from '../db/referral-rewards'
import { sha256 } from '../domain/hmac'
import { IdempotencyKeyReused, NoReferral, ReferralAlreadyPaid, ReferralVoided } from '../lib/errors'
import { encodeReferralCursor } from './profile'
import { unknownUser } from './server-users'
import { publishEvents, webhooksOn } from './webhooks'

function presentReferral(row: ReferralRewardsRow) {
  return {
    ...row,
    activated_at: new Date(row.activated_at).toISOString(),
  }
}

/** Both sides' states; a side with no row (an inviter since deleted) does not decide anything. */
function states(referral: ReferralRewardsRow) {
  return [referral.invitee_reward?.state, referral.inviter_reward?.state]
}

/**
 * Qualifies (pays) or voids the invitee's pending referral rewards once per Idempotency-Key. Settling what is
 * already so (qualifying a paid referral, voiding a voided one) changes nothing and answers the referral as it is;
 * the opposite (qualifying a voided one, voiding a paid one) is refused.
 */
export async function settleReferralRewards(services: Services, inviteeId: UserId, settlement: Settlement, idempotencyKey: string) {
  const requestHash = await sha256(JSON.stringify(settlement))
  const result = await settleReferral(services.db, inviteeId, settlement, idempotencyKey, requestHash, webhooksOn(services))
  switch (result.outcome) {
    case 'user_not_found':
      throw unknownUser({ id: inviteeId })
    case 'no_referral':
      throw new NoReferral('This user has not activated an inviter\'s code; there is no referral reward to settle.')
    case 'key_reused':
      throw new IdempotencyKeyReused('This Idempotency-Key was already used with another request; use a new key for a new operation.', {
        errors: [
          { path: 'idempotency-key', message: 'Already used with another request' },
        ],
      })
  }
  const { referral } = result
  if (result.outcome === 'unchanged') {
    if (settlement.action === 'qualify' && states(referral).includes('voided'))
      throw new ReferralVoided(`This referral's rewards were voided (${referral.invitee_reward?.void_reason ?? referral.inviter_reward?.void_reason}); they cannot be qualified.`)
    if (settlement.action === 'void' && states(referral).includes('paid'))
      throw new ReferralAlreadyPaid('This referral\'s rewards were already paid; nothing was voided. Debit the points with a transaction if you must.')
  }
  publishEvents(services, result.events)
  return {
    referral: presentReferral(referral),
    replayed: result.outcome === 'replayed',
  }
}

/**
 * A page of flagged referrals still waiting for review, newest first; rows are read one past the page to know
 * whether another follows, and the cursor is the referral lists' (the last row's activation and invitee).
 */
export async function listFlaggedReferrals(services: Services, limit: number, after?: ReferralKey) {
  const rows = await selectFlaggedReferrals(services.db, limit + 1, after)
  const page = rows.slice(0, limit)
  const last = page.at(-1)
  return {
    referrals: page.map(presentReferral),
    next_cursor: rows.length > limit && last
      ? encodeReferralCursor({ invitedAt: last.activated_at, id: last.invitee_id })
      : null,
  }
}
