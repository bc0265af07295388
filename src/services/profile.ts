import type { ProfileChanges, ProfileUpdateOutcome } from '../db/profile'
import type { ProfileRow } from '../db/user-row'
import type { AppError } from '../lib/errors'
import type { Services } from './container'
import { selectProfile, updateProfile } from '../db/profile'
import { maskPhoneNumber } from '../domain/phone-number'
import { OwnReferralCode, ReferralAlreadyActivated, ReferralCodeNotFound, ReferralCycle, UserNotFound } from '../lib/errors'

export type Profile = ReturnType<typeof presentProfile>

/** Referrals are other people: the inviter sees their names and a masked number, never the full number. */
function presentProfile(row: ProfileRow) {
  return {
    ...row,
    referrals: row.referrals.map(referral => ({
      ...referral,
      phone_number: maskPhoneNumber(referral.phone_number),
      joined_at: new Date(referral.joined_at).toISOString(),
    })),
  }
}

export async function getProfile(services: Services, userId: string): Promise<Profile> {
  const row = await selectProfile(services.db, userId)
  if (!row)
    throw userGone()
  return presentProfile(row)
}

const refusals: Partial<Record<ProfileUpdateOutcome, () => AppError>> = {
  user_not_found: userGone,
  code_not_found: () => new ReferralCodeNotFound('No user has this referral code. Check it and try again.', {
    errors: [
      { path: 'inviter_referral_code', message: 'Unknown referral code' },
    ],
  }),
  own_code: () => new OwnReferralCode('This is your own referral code; enter the code of the person who invited you.', {
    errors: [
      { path: 'inviter_referral_code', message: 'This is your own code' },
    ],
  }),
  already_activated: () => new ReferralAlreadyActivated('You have already activated an inviter\'s code; it can be done only once.', {
    errors: [
      { path: 'inviter_referral_code', message: 'Already activated' },
    ],
  }),
  cycle: () => new ReferralCycle('This code belongs to someone you invited; referrals cannot go in a circle.', {
    errors: [
      { path: 'inviter_referral_code', message: 'This person was invited by you' },
    ],
  }),
}

/** Edits the profile and/or activates an inviter's code; a refused activation leaves every field unchanged. */
export async function editProfile(services: Services, userId: string, changes: ProfileChanges): Promise<Profile> {
  const { config, db } = services
  const { outcome, profile } = await updateProfile(db, userId, changes, {
    inviteePoints: config.REFERRAL_INVITEE_POINTS,
    inviterPoints: config.REFERRAL_INVITER_POINTS,
  })
  const refusal = refusals[outcome]
  if (refusal || !profile)
    throw (refusal ?? userGone)()
  return presentProfile(profile)
}

function userGone(): AppError {
  return new UserNotFound('The account this token belongs to no longer exists.')
}
