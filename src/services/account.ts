import type { ClientKey } from '../domain/client-address'
import type { UserId } from '../domain/user-id'
import type { Services } from './container'
import type { CodeProof } from './sign-in'
import { deleteUser, selectPhoneNumber } from '../db/account'
import { userGone } from './profile'
import { rewardKeyOf } from './rewarded-numbers'
import { redeemSignInCode, withProof } from './sign-in'

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
  const deleted = await withProof(proved, async () => deleteUser(services.db, userId, phoneNumber, await rewardKeyOf(services, phoneNumber)))
  // The number moved to another account between the two statements: the code proved nothing about this one.
  if (!deleted) {
    await proved.release()
    throw userGone()
  }
}
