/** Where a referral reward stands (docs/referral-rules.md); every ledger row that is not a referral reward is paid. */
export const REWARD_STATES = ['paid', 'pending', 'capped', 'voided'] as const
export type RewardState = typeof REWARD_STATES[number]

/** The farming signals an activation can be flagged by (docs/referral-rules.md). */
export const REFERRAL_FLAGS = ['same_network', 'burst', 'same_number_range'] as const
export type ReferralFlag = typeof REFERRAL_FLAGS[number]

/** The operator's referral rules, as configured (src/config.ts). */
export interface ReferralRules {
  /** activation: both rewards are paid at once; qualifying_event: they wait, pending, for the server API. */
  rewardOn: 'activation' | 'qualifying_event'
  /** Inviter rewards per inviter per UTC day / month; undefined: no cap. */
  inviterMaxPerDay?: number
  inviterMaxPerMonth?: number
  /** The farming signals' thresholds; undefined: that signal is off. */
  sameNetworkHours?: number
  burst?: number
  sameRangeDigits?: number
  /** What a flagged activation gets: its rewards held for review, a refusal, or nothing different. */
  flagged: 'pending' | 'block' | 'allow'
}

/** Whether any farming signal is on: until one is, no activation is flagged, whatever REFERRAL_FLAGGED says. */
export function signalsOn(rules: ReferralRules): boolean {
  return rules.sameNetworkHours !== undefined || rules.burst !== undefined || rules.sameRangeDigits !== undefined
}

/**
 * Whether any rule beyond the seed's (paid at activation, no cap, no signal) is on. Only then do profiles show reward
 * states and pending points: a deployment on the defaults answers exactly as before the rules existed.
 */
export function referralRulesOn(rules: ReferralRules): boolean {
  return rules.rewardOn !== 'activation' || rules.inviterMaxPerDay !== undefined || rules.inviterMaxPerMonth !== undefined
    || signalsOn(rules)
}
