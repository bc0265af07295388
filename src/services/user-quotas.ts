import type { HitOutcome } from '../domain/fixed-window'
import type { UserId } from '../domain/user-id'
import type { Services } from './container'
import { RateLimited } from '../lib/errors'
import { remoteOperation } from '../lib/request-context'

const HOUR = 3_600

export type UserAction = 'referral-activation' | 'profile-update'

/**
 * Per signed-in user: attempts to activate a referral code and other profile updates an hour
 * (REFERRAL_ACTIVATIONS_PER_HOUR, PROFILE_UPDATES_PER_HOUR). Keyed by the user's id, so switching networks or
 * sessions does not reset it.
 */
export async function chargeUserQuota(services: Services, action: UserAction, userId: UserId): Promise<void> {
  const limit = action === 'referral-activation'
    ? services.config.REFERRAL_ACTIVATIONS_PER_HOUR
    : services.config.PROFILE_UPDATES_PER_HOUR
  const outcome = await remoteOperation<HitOutcome>('durable_object', services.rateLimiter.getByName(`${action}:${userId}`).hit(limit, HOUR))
  if (!outcome.allowed) {
    throw new RateLimited(`Too many ${action === 'referral-activation'
      ? 'referral code attempts'
      : 'profile changes'} this hour. Try again in ${outcome.retryAfterSeconds} s.`, outcome.retryAfterSeconds)
  }
}
