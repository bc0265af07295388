import type { ClientKey } from '../domain/client-address'
import type { E164 } from '../domain/phone-number'
import type { UserId } from '../domain/user-id'
import type { Services } from './container'
import type { Profile } from './profile'
import type { CodeProof } from './sign-in'
import { changePhoneNumber, deleteUser, selectPhoneNumber } from '../db/account'
import { PhoneNumberTaken } from '../lib/errors'
import { presentProfile, REFERRALS_PAGE_SIZE, userGone } from './profile'
import { rewardKeyOf } from './rewarded-numbers'
import { redeemSignInCode, withProof } from './sign-in'
import { publishEvents, webhooksOn } from './webhooks'

/**
 * Deletes the caller's account once they prove they still hold its number with a fresh code (send_sms to it
 * first): an access token alone, stolen or left on a shared device, cannot delete anyone. Two round trips: the
 * number is needed to check the code, and only the database knows it.
 */
export async function deleteAccount(services: Services, userId: UserId, proof: CodeProof, clientKey: ClientKey): Promise<void> {
  const phoneNumber = await selectPhoneNumber(services.db, userId)
  if (!phoneNumber)
    throw userGone()
  const proved = await redeemSignInCode(services, phoneNumber, proof, clientKey)
  const deleted = await withProof(proved, async () => deleteUser(services.db, userId, phoneNumber, await rewardKeyOf(services, phoneNumber), webhooksOn(services)))
  // The number moved to another account between the two statements: the code proved nothing about this one.
  if (!deleted) {
    await proved.release()
    throw userGone()
  }
  publishEvents(services, deleted.events)
}

/**
 * Moves the caller to `newPhoneNumber` once they prove they hold it with the code sent there (the same send and
 * the same guess limits as signing in). Whether another account holds the number is said only now, to someone who
 * has just proved they hold it, so the two steps cannot be used to find out which numbers have accounts. The
 * session `keepSessionId` continues; every other one of the user's is signed out.
 */
export async function moveToPhoneNumber(services: Services, userId: UserId, newPhoneNumber: E164, proof: CodeProof, clientKey: ClientKey, keepSessionId: string | undefined): Promise<Profile> {
  const proved = await redeemSignInCode(services, newPhoneNumber, proof, clientKey)
  const changed = await withProof(proved, async () => changePhoneNumber(services.db, userId, {
    newPhoneNumber,
    newRewardKey: await rewardKeyOf(services, newPhoneNumber),
    keepSessionId,
  }, REFERRALS_PAGE_SIZE + 1))
  if (changed === 'taken') {
    throw new PhoneNumberTaken('Another account uses this phone number. Delete that account first, or keep your number.', {
      errors: [
        { path: 'new_phone_number', message: 'Another account uses this number' },
      ],
    })
  }
  if (!changed)
    throw userGone()
  return presentProfile(services, changed)
}
