import type { ProfileChanges, ProfileUpdateOutcome, UserQuota } from '../db/profile'
import type { ProfileRow, ReferralKey, ReferralRow } from '../db/user-row'
import type { ClientKey } from '../domain/client-address'
import type { ReferralRules } from '../domain/referral-rules'
import type { UserId } from '../domain/user-id'
import type { AppError } from '../lib/errors'
import type { Services } from './container'
import { selectProfile, selectReferrals, updateProfile } from '../db/profile'
import { networkSignal } from '../domain/client-network'
import { maskPhoneNumber } from '../domain/phone-number'
import { referralRulesOn } from '../domain/referral-rules'
import { OwnReferralCode, RateLimited, ReferralAlreadyActivated, ReferralCodeNotFound, ReferralCycle, ReferralFlagged, UserNotFound } from '../lib/errors'
import { publishEvents, webhooksOn } from './webhooks'

/** A profile shows this many referrals, and so does a page of them unless the client asks for another size. */
export const REFERRALS_PAGE_SIZE = 20
export const REFERRALS_MAX_PAGE_SIZE = 100

export type Profile = ReturnType<typeof presentProfile>
export type Referral = ReturnType<typeof presentReferral>

export interface ReferralPage {
  referrals: Referral[]
  next_cursor: string | null
}

/** The referral rules of this deployment (src/config.ts). */
export function referralRulesOf(services: Services): ReferralRules {
  const { config } = services
  return {
    rewardOn: config.REFERRAL_REWARD_ON,
    inviterMaxPerDay: config.REFERRAL_INVITER_MAX_PER_DAY,
    inviterMaxPerMonth: config.REFERRAL_INVITER_MAX_PER_MONTH,
    sameNetworkHours: config.REFERRAL_SAME_NETWORK_HOURS,
    burst: config.REFERRAL_BURST,
    sameRangeDigits: config.REFERRAL_SAME_RANGE_DIGITS,
    flagged: config.REFERRAL_FLAGGED,
  }
}

/**
 * Whether profiles show every reward state and pending points: where a rule is on. Elsewhere only a state other than
 * paid, or pending points other than 0, is shown (rules turned off with rewards still pending), so on the seed's
 * rules the answers stay exactly as they were.
 */
function showsRewards(services: Services): boolean {
  return referralRulesOn(referralRulesOf(services))
}

/** Referrals are other people: the inviter sees their names and a masked number, never the full number. */
function presentReferral(row: ReferralRow, showRewards: boolean) {
  return {
    first_name: row.first_name,
    last_name: row.last_name,
    phone_number: maskPhoneNumber(row.phone_number),
    joined_at: new Date(row.invited_at).toISOString(),
    ...(showRewards || row.state !== 'paid'
      ? { state: row.state }
      : {}),
  }
}

/**
 * Rows are read one past the page: if that extra row exists, there is a next page, starting after the page's last
 * row. (Keying on the last row shown, not on the extra one, keeps the next page right if rows change meanwhile.)
 */
function presentPage(rows: ReferralRow[], limit: number, showRewards: boolean): ReferralPage {
  const page = rows.slice(0, limit)
  const last = page.at(-1)
  return {
    referrals: page.map(row => presentReferral(row, showRewards)),
    next_cursor: rows.length > limit && last
      ? encodeReferralCursor({ invitedAt: last.invited_at, id: last.id })
      : null,
  }
}

export function presentProfile(services: Services, { referrals, pending_points, ...user }: ProfileRow) {
  const showRewards = showsRewards(services)
  const page = presentPage(referrals, REFERRALS_PAGE_SIZE, showRewards)
  return {
    ...user,
    ...(showRewards || pending_points !== 0
      ? { pending_points }
      : {}),
    referrals: page.referrals,
    referrals_next_cursor: page.next_cursor,
  }
}

const CURSOR_PATTERN = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z)\/([\da-f]{8}-[\da-f]{4}-[\da-f]{4}-[\da-f]{4}-[\da-f]{12})$/

/** The cursor is opaque to clients: base64url of the last row's key, with the database's microseconds. */
export function encodeReferralCursor(key: ReferralKey): string {
  return btoa(`${key.invitedAt}/${key.id}`).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}

/**
 * The key in a cursor this service issued; null for anything else, including a well-formed but impossible date and
 * one Postgres cannot hold: JavaScript has a year 0, Postgres does not (its years run 1 BC, AD 1), and would answer
 * "date/time field value out of range".
 */
export function decodeReferralCursor(cursor: string): ReferralKey | null {
  // A base64 text of length 4n+1 is malformed; this check also keeps atob from throwing.
  if (!/^[\w-]+$/.test(cursor) || cursor.length % 4 === 1)
    return null
  const match = CURSOR_PATTERN.exec(atob(cursor.replace(/-/g, '+').replace(/_/g, '/')))
  if (!match)
    return null
  const invitedAt = match[1]!
  const date = new Date(invitedAt)
  if (Number.isNaN(date.getTime()) || date.getUTCFullYear() < 1 || date.toISOString().slice(0, 23) !== invitedAt.slice(0, 23))
    return null
  return { invitedAt, id: match[2]! }
}

export async function getProfile(services: Services, userId: UserId): Promise<Profile> {
  const row = await selectProfile(services.db, userId, REFERRALS_PAGE_SIZE + 1)
  if (!row)
    throw userGone()
  return presentProfile(services, row)
}

/** A page of the user's referrals, newest first, starting after `after` (the key of a cursor from earlier). */
export async function listReferrals(services: Services, userId: UserId, limit: number, after?: ReferralKey): Promise<ReferralPage> {
  const rows = await selectReferrals(services.db, userId, limit + 1, after)
  if (!rows)
    throw userGone()
  return presentPage(rows, limit, showsRewards(services))
}

/** The activation refusals all concern one field; `errors` points clients at it. */
function onCodeField(message: string) {
  return {
    errors: [
      { path: 'inviter_referral_code', message },
    ],
  }
}

const refusals: Partial<Record<ProfileUpdateOutcome, () => AppError>> = {
  user_not_found: userGone,
  code_not_found: () => new ReferralCodeNotFound('No user has this referral code. Check it and try again.', onCodeField('Unknown referral code')),
  own_code: () => new OwnReferralCode('This is your own referral code; enter the code of the person who invited you.', onCodeField('This is your own code')),
  already_activated: () => new ReferralAlreadyActivated('You have already activated an inviter\'s code; it can be done only once.', onCodeField('Already activated')),
  number_rewarded_before: () => new ReferralAlreadyActivated('This phone number already earned a referral reward under an earlier account; it can be done only once.', onCodeField('Already activated with this number')),
  cycle: () => new ReferralCycle('This code belongs to someone you invited; referrals cannot go in a circle.', onCodeField('This person was invited by you')),
  // Which signal is not said: a farm would learn what to vary.
  flagged: () => new ReferralFlagged('This activation looks like a self-referral, so it was not accepted. If you were really invited, contact support.', onCodeField('Not accepted for review reasons')),
}

/** A 429 for a user past their hourly quota: it resets at the top of the hour. */
function quotaRefusal(quota: UserQuota): RateLimited {
  const retryAfter = 3_600 - Math.floor(Date.now() / 1_000) % 3_600
  return new RateLimited(`Too many ${quota.action === 'referral-activation'
    ? 'referral code attempts'
    : 'profile changes'} this hour. Try again in ${retryAfter} s.`, retryAfter)
}

/**
 * Edits the profile and/or activates an inviter's code; a refused activation leaves every field unchanged. A request
 * with a code counts against the activation quota (REFERRAL_ACTIVATIONS_PER_HOUR), any other against the
 * profile-update quota (PROFILE_UPDATES_PER_HOUR), in the same statement: past it, a 429 and nothing changed.
 */
export async function editProfile(services: Services, userId: UserId, changes: ProfileChanges, client: ClientKey): Promise<Profile> {
  const { config, db } = services
  const quota: UserQuota = changes.inviterReferralCode === undefined
    ? { action: 'profile-update', perHour: config.PROFILE_UPDATES_PER_HOUR }
    : { action: 'referral-activation', perHour: config.REFERRAL_ACTIVATIONS_PER_HOUR }
  const rules = referralRulesOf(services)
  const { outcome, profile, events } = await updateProfile(db, userId, changes, quota, {
    inviteePoints: config.REFERRAL_INVITEE_POINTS,
    inviterPoints: config.REFERRAL_INVITER_POINTS,
    hold: rules.rewardOn === 'qualifying_event',
    inviterMaxPerDay: rules.inviterMaxPerDay ?? null,
    inviterMaxPerMonth: rules.inviterMaxPerMonth ?? null,
    signals: {
      network: changes.inviterReferralCode === undefined
        ? null
        : await networkSignal(config.OTP_HMAC_SECRET, client),
      sameNetworkHours: rules.sameNetworkHours ?? null,
      burst: rules.burst ?? null,
      sameRangeDigits: rules.sameRangeDigits ?? null,
      flagged: rules.flagged,
    },
    webhooks: webhooksOn(services),
  }, REFERRALS_PAGE_SIZE + 1)
  if (outcome === 'rate_limited')
    throw quotaRefusal(quota)
  const refusal = refusals[outcome]
  if (refusal || !profile)
    throw (refusal ?? userGone)()
  publishEvents(services, events)
  return presentProfile(services, profile)
}

export function userGone(): AppError {
  return new UserNotFound('The account this token belongs to no longer exists.')
}
