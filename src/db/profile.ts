import type { UserId } from '../domain/user-id'
import type { Database } from './client'
import type { ProfileRow, ReferralKey, ReferralRow } from './user-row'
import type { WebhookEvent } from './webhook-events'
import { sql } from 'drizzle-orm'
import { DatabaseUnavailable } from '../lib/errors'
import { roundTrip } from './errors'
import { profileColumns, referralsJson } from './user-row'
import { eventsJson, pointsChangedData, recordEvents } from './webhook-events'

/** The user with their first `referralsLimit` referrals; null when the account is gone. */
export async function selectProfile(db: Database, userId: UserId, referralsLimit: number): Promise<ProfileRow | null> {
  const result = await roundTrip(() => db.execute<ProfileRow>(sql`
    SELECT ${profileColumns('me', referralsLimit)} FROM users me WHERE me.id = ${userId}`))
  return result.rows[0] ?? null
}

/**
 * Up to `limit` of the user's referrals after `after` (from the start without it), in one round trip; null when
 * the account is gone, so a deleted user is told so rather than shown an empty list.
 */
export async function selectReferrals(db: Database, userId: UserId, limit: number, after?: ReferralKey): Promise<ReferralRow[] | null> {
  const result = await roundTrip(() => db.execute<{ referrals: ReferralRow[] }>(sql`
    SELECT ${referralsJson(sql`me.id`, limit, after)} AS referrals FROM users me WHERE me.id = ${userId}`))
  return result.rows[0]?.referrals ?? null
}

export interface ProfileChanges {
  firstName?: string
  lastName?: string
  /** null clears the address; undefined leaves it alone. */
  email?: string | null
  inviterReferralCode?: string
}

export interface ReferralReward {
  inviteePoints: number
  inviterPoints: number
  /** Both rewards wait as pending (REFERRAL_REWARD_ON=qualifying_event) instead of being paid at once. */
  hold: boolean
  /** Caps on the inviter's rewards per UTC day and month; null: none. */
  inviterMaxPerDay: number | null
  inviterMaxPerMonth: number | null
  signals: ReferralSignals
  /** Record referral.activated and points.changed events in the outbox (webhooks are on). */
  webhooks: boolean
}

/** The user's hourly quota this update is charged to: what it counts, and how many an hour it allows. */
export interface UserQuota {
  action: 'profile-update' | 'referral-activation'
  perHour: number
}

/** The farming signals (docs/referral-rules.md): each threshold null while that signal is off. */
export interface ReferralSignals {
  /** The keyed hash of the activating client's network; null without a code to activate. */
  network: string | null
  sameNetworkHours: number | null
  burst: number | null
  sameRangeDigits: number | null
  /** What a flagged activation gets: rewards held for review, refused, or treated as any other. */
  flagged: 'pending' | 'block' | 'allow'
}

export type ProfileUpdateOutcome
  = | 'updated' | 'activated'
    | 'user_not_found' | 'code_not_found' | 'own_code' | 'already_activated' | 'number_rewarded_before' | 'cycle'
    | 'flagged' | 'rate_limited'

export interface ProfileUpdateResult {
  outcome: ProfileUpdateOutcome
  profile: ProfileRow | null
  events: WebhookEvent[]
}

/** How often the statement is run again when the inviter's tree gained a root while it waited (see below). */
const MAX_ATTEMPTS = 3

/**
 * Applies a profile edit and, when a code is given, the referral activation, as one statement: either the whole
 * change lands (fields, inviter link, both balances, both ledger rows) or, when the activation is refused, nothing.
 * One round trip, and one more only in the rare race described at 'chain_moved'.
 */
export async function updateProfile(db: Database, userId: UserId, changes: ProfileChanges, quota: UserQuota, reward: ReferralReward, referralsLimit: number): Promise<ProfileUpdateResult> {
  for (let attempt = 1; ; attempt++) {
    // A run again is the same request: its quota was charged by the first.
    const { outcome, events, ...profile } = await updateProfileOnce(db, userId, changes, attempt === 1
      ? quota
      : null, reward, referralsLimit)
    if (outcome !== 'chain_moved') {
      return {
        outcome,
        profile: outcome === 'updated' || outcome === 'activated'
          ? profile
          : null,
        events,
      }
    }
    if (attempt === MAX_ATTEMPTS)
      throw new DatabaseUnavailable('The referral program is busy with this inviter; please retry shortly.')
  }
}

function updateProfileOnce(db: Database, userId: UserId, changes: ProfileChanges, quota: UserQuota | null, reward: ReferralReward, referralsLimit: number) {
  const code = changes.inviterReferralCode ?? null
  const emailGiven = changes.email !== undefined
  const { signals } = reward
  return roundTrip(async () => (await db.execute<ProfileRow & { outcome: ProfileUpdateOutcome | 'chain_moved', events: WebhookEvent[] }>(sql`
    WITH RECURSIVE seen AS (
      -- An inviter, once set, is never changed: "already activated" as the statement's snapshot has it is final.
      SELECT inviter_id, phone_number FROM users WHERE id = ${userId}
    ), quota AS (
      -- Charged whatever the outcome, so refused code attempts count too; refused itself (no row returned) once this
      -- hour's count has reached the limit, and then the update changes nothing else. The conflict on the user's
      -- quota row serialises their concurrent updates, each reading the count the one before left.
      INSERT INTO user_quotas AS q (user_id, action, hour_start, count)
      SELECT ${userId}::uuid, ${quota?.action ?? null}::text, date_trunc('hour', now()), 1
      FROM seen WHERE ${quota !== null}
      ON CONFLICT (user_id, action) DO UPDATE SET
        count = CASE WHEN q.hour_start = excluded.hour_start THEN q.count + 1 ELSE 1 END,
        hour_start = excluded.hour_start
      WHERE q.hour_start <> excluded.hour_start OR q.count < ${quota?.perHour ?? 0}::int
      RETURNING 1
    ), target AS (
      -- Looked up only for a user who may still activate, so an activated user learns nothing about which codes
      -- exist, and locks no one else's row.
      SELECT id, phone_number FROM users
      WHERE referral_code = ${code} AND NOT EXISTS (SELECT 1 FROM seen WHERE inviter_id IS NOT NULL)
    ), chain AS (
      -- The inviter and their inviters up to the root of their tree, as of the snapshot. CYCLE ends the walk on a
      -- loop stored by an older version, which would otherwise go round until a depth cap.
      SELECT id, inviter_id FROM users WHERE id = (SELECT id FROM target)
      UNION ALL
      SELECT users.id, users.inviter_id FROM users JOIN chain ON users.id = chain.inviter_id
    ) CYCLE id SET looped USING path, root AS (
      SELECT id FROM chain WHERE inviter_id IS NULL
    ), locked AS (
      -- Me, the inviter and the root of the inviter's tree, locked in id order so that concurrent activations
      -- serialise without deadlock; locked rows are read at their latest committed version, the chain at the snapshot.
      -- The chain is still true when its root has no inviter: only a root can gain one (an activating user has no
      -- inviter, and no one else's inviter changes), and it cannot while locked here.
      -- An array, not "id = me OR id IN (target)": an OR with a subquery defeats the primary key and scans the table.
      SELECT id, inviter_id, number_rewarded_before, inviter_rewards_day, inviter_rewards_today, inviter_rewards_month,
        inviter_rewards_this_month, code_activations
      FROM users
      WHERE id = ANY(ARRAY[${userId}::uuid, (SELECT id FROM target), (SELECT id FROM root)])
      ORDER BY id FOR UPDATE
    ), me AS (
      SELECT id, inviter_id, number_rewarded_before FROM locked WHERE id = ${userId}
    ), hour AS (
      SELECT date_trunc('hour', now()) AS start
    ), this_hour AS (
      -- This hour's activations of the inviter's code so far, from this network and from all, off their locked row.
      SELECT CASE WHEN (locked.code_activations ->> 'hour')::timestamptz = hour.start
        THEN locked.code_activations -> 'networks' ELSE '{}'::jsonb END AS networks
      FROM locked JOIN target USING (id), hour
    ), from_network AS (
      SELECT coalesce((networks ->> ${signals.network}::text)::int, 0) AS count FROM this_hour
    ), signals AS (
      -- The farming signals of this activation, each only where configured. The burst count is read from the
      -- inviter's locked row (see code_activations), so parallel activations from one network each see the last.
      SELECT array_remove(ARRAY[
        CASE WHEN ${signals.sameNetworkHours}::int IS NOT NULL AND EXISTS (
          SELECT 1 FROM user_networks theirs
          WHERE theirs.user_id = target.id AND theirs.seen_at > now() - make_interval(hours => ${signals.sameNetworkHours}::int)
            AND (theirs.network_hash = ${signals.network}::text OR theirs.network_hash IN (
              SELECT mine.network_hash FROM user_networks mine
              WHERE mine.user_id = ${userId} AND mine.seen_at > now() - make_interval(hours => ${signals.sameNetworkHours}::int)))
        ) THEN 'same_network' END,
        CASE WHEN (SELECT count FROM from_network) >= ${signals.burst}::int THEN 'burst' END,
        CASE WHEN left(target.phone_number, ${signals.sameRangeDigits}::int + 1) = left(seen.phone_number, ${signals.sameRangeDigits}::int + 1)
          THEN 'same_number_range' END
      ], NULL) AS flags
      FROM target, seen
    ), decision AS (
      SELECT CASE
        WHEN NOT EXISTS (SELECT 1 FROM me) THEN 'user_not_found'
        WHEN ${quota !== null} AND NOT EXISTS (SELECT 1 FROM quota) THEN 'rate_limited'
        WHEN ${code}::text IS NULL THEN 'updated'
        WHEN (SELECT inviter_id FROM me) IS NOT NULL THEN 'already_activated'
        WHEN (SELECT number_rewarded_before FROM me) THEN 'number_rewarded_before'
        WHEN NOT EXISTS (SELECT 1 FROM target) THEN 'code_not_found'
        WHEN (SELECT id FROM target) = ${userId} THEN 'own_code'
        -- I have no inviter, so I can only be the root: the inviter is my (indirect) invitee.
        WHEN EXISTS (SELECT 1 FROM chain WHERE id = ${userId}) THEN 'cycle'
        -- The root activated a code while this statement waited for its lock, so the tree now goes on past the
        -- snapshot, perhaps to me. Run again: the next snapshot has that activation.
        WHEN EXISTS (SELECT 1 FROM locked JOIN root USING (id) WHERE locked.inviter_id IS NOT NULL) THEN 'chain_moved'
        WHEN ${signals.flagged} = 'block' AND EXISTS (SELECT 1 FROM signals WHERE cardinality(flags) > 0) THEN 'flagged'
        ELSE 'activated'
      END AS outcome
    ), activation AS (
      SELECT target.id AS inviter_id FROM target, decision WHERE decision.outcome = 'activated'
    ), period AS (
      SELECT (now() AT TIME ZONE 'UTC')::date AS day, date_trunc('month', now() AT TIME ZONE 'UTC')::date AS month
    ), earned AS (
      -- The inviter's rewards so far this UTC day and month, read from their locked row: race-safe caps, since every
      -- activation of their code waits for that lock and reads the counters the one before it left.
      SELECT
        CASE WHEN locked.inviter_rewards_day = period.day THEN locked.inviter_rewards_today ELSE 0 END AS today,
        CASE WHEN locked.inviter_rewards_month = period.month THEN locked.inviter_rewards_this_month ELSE 0 END AS this_month
      FROM locked JOIN activation ON locked.id = activation.inviter_id, period
    ), rewards AS (
      SELECT
        CASE WHEN held THEN 'pending' ELSE 'paid' END AS invitee_state,
        CASE
          WHEN earned.today >= ${reward.inviterMaxPerDay}::int OR earned.this_month >= ${reward.inviterMaxPerMonth}::int THEN 'capped'
          WHEN held THEN 'pending'
          ELSE 'paid'
        END AS inviter_state,
        nullif(signals.flags, '{}') AS flags
      FROM earned, signals,
        LATERAL (SELECT ${reward.hold} OR (${signals.flagged} = 'pending' AND cardinality(signals.flags) > 0) AS held) hold
    ), updated AS (
      UPDATE users SET
        first_name = coalesce(${changes.firstName ?? null}, users.first_name),
        last_name = coalesce(${changes.lastName ?? null}, users.last_name),
        email = CASE WHEN ${emailGiven} THEN ${changes.email ?? null} ELSE users.email END,
        inviter_id = coalesce((SELECT inviter_id FROM activation), users.inviter_id),
        invited_at = CASE WHEN EXISTS (SELECT 1 FROM activation) THEN now() ELSE users.invited_at END,
        referral_flags = CASE WHEN EXISTS (SELECT 1 FROM activation) THEN (SELECT flags FROM rewards) ELSE users.referral_flags END,
        points = users.points + CASE WHEN EXISTS (SELECT 1 FROM rewards WHERE invitee_state = 'paid') THEN ${reward.inviteePoints}::int ELSE 0 END,
        updated_at = now()
      FROM decision
      WHERE users.id = ${userId} AND decision.outcome IN ('updated', 'activated')
      RETURNING users.*
    ), credited AS (
      -- A capped reward is not counted towards the caps: only rewards earned are.
      UPDATE users SET
        points = users.points + CASE WHEN rewards.inviter_state = 'paid' THEN ${reward.inviterPoints}::int ELSE 0 END,
        inviter_rewards_day = CASE WHEN rewards.inviter_state = 'capped' THEN users.inviter_rewards_day ELSE period.day END,
        inviter_rewards_today = CASE WHEN rewards.inviter_state = 'capped' THEN users.inviter_rewards_today ELSE earned.today + 1 END,
        inviter_rewards_month = CASE WHEN rewards.inviter_state = 'capped' THEN users.inviter_rewards_month ELSE period.month END,
        inviter_rewards_this_month = CASE WHEN rewards.inviter_state = 'capped' THEN users.inviter_rewards_this_month ELSE earned.this_month + 1 END,
        -- This hour's activations of the code per network; the previous hour's map is dropped, so it stays small.
        code_activations = jsonb_build_object('hour', hour.start, 'networks',
          this_hour.networks || jsonb_build_object(${signals.network}::text, from_network.count + 1)),
        updated_at = now()
      FROM activation, rewards, earned, period, hour, this_hour, from_network
      WHERE users.id = activation.inviter_id
      RETURNING users.points
    ), network_seen AS (
      INSERT INTO user_networks (user_id, network_hash) SELECT ${userId}::uuid, ${signals.network}::text FROM activation
      ON CONFLICT (user_id, network_hash) DO UPDATE SET seen_at = now()
    ), ledger AS (
      -- Pending and capped rewards add nothing to the balance yet (amount 0); award keeps what they are worth.
      INSERT INTO points_ledger (user_id, amount, reason, invitee_id, balance_after, state, award)
      SELECT ${userId}::uuid, CASE WHEN invitee_state = 'paid' THEN ${reward.inviteePoints}::int ELSE 0 END, 'referral_invitee',
        ${userId}::uuid, (SELECT points FROM updated), invitee_state, ${reward.inviteePoints}::int
      FROM rewards
      UNION ALL
      SELECT inviter_id, CASE WHEN inviter_state = 'paid' THEN ${reward.inviterPoints}::int ELSE 0 END, 'referral_inviter',
        ${userId}::uuid, (SELECT points FROM credited), inviter_state,
        CASE WHEN inviter_state = 'capped' THEN 0 ELSE ${reward.inviterPoints}::int END
      FROM activation, rewards
      RETURNING *
    ), events AS (
      -- Only for an activation this statement made: a refused one writes no ledger row, so it records nothing.
      -- points.changed only for rows that changed a balance; the states are named once a reward is not paid at once.
      ${recordEvents(reward.webhooks, sql`
        SELECT 'referral.activated', jsonb_build_object('invitee_id', ${userId}::uuid, 'inviter_id', activation.inviter_id,
          'invitee_points', ${reward.inviteePoints}::int,
          'inviter_points', CASE WHEN rewards.inviter_state = 'capped' THEN 0 ELSE ${reward.inviterPoints}::int END)
          || CASE WHEN rewards.invitee_state = 'paid' AND rewards.inviter_state = 'paid' THEN '{}'::jsonb
            ELSE jsonb_build_object('invitee_state', rewards.invitee_state, 'inviter_state', rewards.inviter_state) END
          || CASE WHEN rewards.flags IS NULL THEN '{}'::jsonb ELSE jsonb_build_object('flags', rewards.flags) END
        FROM activation, rewards
        UNION ALL
        SELECT 'points.changed', ${pointsChangedData('ledger')} FROM ledger WHERE ledger.state = 'paid'`)}
    )
    SELECT decision.outcome, ${profileColumns('updated', referralsLimit)}, ${eventsJson('events')} AS events
    FROM decision LEFT JOIN updated ON true`)).rows[0]!)
}
