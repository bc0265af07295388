import type { AnyPgColumn } from 'drizzle-orm/pg-core'
import { sql } from 'drizzle-orm'
import { bigserial, boolean, check, date, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core'

export const users = pgTable('users', {
  id: uuid('id').primaryKey().defaultRandom(),
  phoneNumber: text('phone_number').notNull(),
  firstName: text('first_name').notNull().default(''),
  lastName: text('last_name').notNull().default(''),
  email: text('email'),
  referralCode: text('referral_code').notNull(),
  inviterId: uuid('inviter_id').references((): AnyPgColumn => users.id, { onDelete: 'set null' }),
  invitedAt: timestamp('invited_at', { withTimezone: true }),
  // A cached sum of points_ledger for this user; every write that changes it also writes the ledger row.
  points: integer('points').notNull().default(0),
  // This number already earned an invitee reward under an account since deleted or moved to another number (see
  // rewarded_numbers): activating a code again is refused, so deleting and re-joining earns no second reward.
  numberRewardedBefore: boolean('number_rewarded_before').notNull().default(false),
  // Inviter rewards earned (paid or pending, not capped) in the current UTC day and month, for the per-inviter caps.
  // On the inviter's own row because the activation reads it under that row's lock, at its latest version: a count
  // of ledger rows would read the statement's snapshot, which misses the activations it waited behind.
  inviterRewardsDay: date('inviter_rewards_day', { mode: 'string' }),
  inviterRewardsToday: integer('inviter_rewards_today').notNull().default(0),
  inviterRewardsMonth: date('inviter_rewards_month', { mode: 'string' }),
  inviterRewardsThisMonth: integer('inviter_rewards_this_month').notNull().default(0),
  // Activations of this user's code in the current clock hour per network (keyed hashes), for REFERRAL_BURST:
  // {"hour": …, "networks": {"<hash>": n}}, on this row for the same reason as the counters above.
  codeActivations: jsonb('code_activations'),
  // The farming signals (docs/referral-rules.md) that flagged this user's activation; null when none did.
  referralFlags: text('referral_flags').array(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  lastSignInAt: timestamp('last_sign_in_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
}, table => [
  uniqueIndex('users_phone_number_key').on(table.phoneNumber),
  uniqueIndex('users_referral_code_key').on(table.referralCode),
  // Serves the referral list of a profile, newest first.
  index('users_inviter_id_invited_at_idx').on(table.inviterId, table.invitedAt.desc(), table.id),
  // The server API's list of flagged referrals, newest first.
  index('users_flagged_invited_at_idx').on(table.invitedAt.desc(), table.id).where(sql`${table.referralFlags} IS NOT NULL`),
  check('users_not_own_inviter', sql`${table.inviterId} <> ${table.id}`),
  // Debits (server API) are refused rather than overdraw; this is the last line should a statement get it wrong.
  check('users_points_not_negative', sql`${table.points} >= 0`),
])

export const pointsLedger = pgTable('points_ledger', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  userId: uuid('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
  amount: integer('amount').notNull(),
  reason: text('reason', {
    enum: [
      'referral_invitee',
      'referral_inviter',
      'redemption',
      'adjustment',
    ],
  }).notNull(),
  // The caller's own note on a server API transaction (an order id, say).
  reference: text('reference'),
  // The user's balance once this row was written, so a replayed transaction answers exactly as the first time did.
  balanceAfter: integer('balance_after'),
  // A server API transaction's Idempotency-Key and a hash of its body: the same key with another body is refused.
  idempotencyKey: text('idempotency_key'),
  requestHash: text('request_hash'),
  // The invitee whose activation earned these points; kept as null if that account is deleted, so the sum still holds.
  inviteeId: uuid('invitee_id').references(() => users.id, { onDelete: 'set null' }),
  // A referral reward's life (docs/referral-rules.md): paid, or pending until the server API qualifies or voids it
  // (or the cron voids it once old), or capped (past the inviter's cap: worth 0). Every other row is paid.
  state: text('state', {
    enum: [
      'paid',
      'pending',
      'capped',
      'voided',
    ],
  }).notNull().default('paid'),
  // What a referral reward is worth. `amount` is what the row has added to the balance: the award once paid, 0 while
  // pending, capped or voided. So the ledger's amounts always sum to the balance, and its pending awards to
  // pending_points.
  award: integer('award'),
  // When a pending reward was qualified or voided, and why it was voided (the caller's reason, or "expired").
  settledAt: timestamp('settled_at', { withTimezone: true }),
  voidReason: text('void_reason'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
}, table => [
  // A profile's pending_points, and the cron's search for pending rewards past REFERRAL_PENDING_DAYS.
  index('points_ledger_pending_user_id_idx').on(table.userId).where(sql`${table.state} = 'pending'`),
  index('points_ledger_pending_created_at_idx').on(table.createdAt).where(sql`${table.state} = 'pending'`),
  // One reward of each kind per invitee: a retried activation can never pay twice.
  uniqueIndex('points_ledger_reward_key').on(table.userId, table.reason, table.inviteeId),
  index('points_ledger_invitee_id_idx').on(table.inviteeId),
  // The ledger's pages, newest first.
  index('points_ledger_user_id_id_idx').on(table.userId, table.id),
  uniqueIndex('points_ledger_idempotency_key').on(table.userId, table.idempotencyKey).where(sql`${table.idempotencyKey} IS NOT NULL`),
])

/**
 * The webhook outbox: each event is written by the very statement that makes the change it describes, so a
 * committed change always has its event and a refused one never does. A queue delivers it (services/webhooks.ts);
 * the Cron sweep re-enqueues what is still undelivered after a while.
 */
export const webhookEvents = pgTable('webhook_events', {
  // Sent as webhook-id: receivers de-duplicate by it.
  id: uuid('id').primaryKey().defaultRandom(),
  type: text('type', {
    enum: [
      'user.created',
      'user.deleted',
      'referral.activated',
      'referral.qualified',
      'referral.voided',
      'points.changed',
    ],
  }).notNull(),
  data: jsonb('data').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  // When the sweep last re-enqueued it; the first send (right after the change) leaves it null.
  enqueuedAt: timestamp('enqueued_at', { withTimezone: true }),
  deliveredAt: timestamp('delivered_at', { withTimezone: true }),
  // Every retry failed and the dead-letter queue took it: kept, and no longer swept.
  deadLetteredAt: timestamp('dead_lettered_at', { withTimezone: true }),
}, table => [
  index('webhook_events_pending_idx').on(table.createdAt).where(sql`${table.deliveredAt} IS NULL AND ${table.deadLetteredAt} IS NULL`),
  index('webhook_events_delivered_at_idx').on(table.deliveredAt).where(sql`${table.deliveredAt} IS NOT NULL`),
])

export const refreshTokens = pgTable('refresh_tokens', {
  id: uuid('id').primaryKey().defaultRandom(),
  userId: uuid('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
  // SHA-256 of the opaque token; the token itself is never stored.
  tokenHash: text('token_hash').notNull(),
  // Every token rotated from the same sign-in shares a family, so a whole session can be revoked.
  familyId: uuid('family_id').notNull(),
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  revokedAt: timestamp('revoked_at', { withTimezone: true }),
  // rotated: exchanged for its successor; logout: signed out; reused: presented again after rotation (a copy is
  // loose, its family is dead for good); family_revoked: revoked because its family had ended.
  revokedReason: text('revoked_reason', {
    enum: [
      'rotated',
      'logout',
      'reused',
      'family_revoked',
    ],
  }),
  // Set on every row of a family when it ends (sign-out or reuse), rotated rows included: a rotation racing the end
  // locks one of these rows and sees the mark, and a successor the ender could not see finds it on its family.
  familyEndedAt: timestamp('family_ended_at', { withTimezone: true }),
  // Presented again within the grace period and exchanged for a sibling: a rotated token forks the session once.
  graceSiblingIssued: boolean('grace_sibling_issued').notNull().default(false),
  // The session (family) as the user sees it, copied to every token of it, so a session survives the clean-up of
  // its older tokens: when it began, and a coarse label of the device it began on ("Chrome on Android"), never the
  // User-Agent itself. A token's created_at is when its session was last used (signed in or refreshed).
  sessionStartedAt: timestamp('session_started_at', { withTimezone: true }).notNull().defaultNow(),
  deviceLabel: text('device_label'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
}, table => [
  uniqueIndex('refresh_tokens_token_hash_key').on(table.tokenHash),
  index('refresh_tokens_user_id_idx').on(table.userId),
  index('refresh_tokens_family_id_idx').on(table.familyId),
  // The clean-up's two ways in (services/housekeeping.ts): expired tokens, and families that ended.
  index('refresh_tokens_expires_at_idx').on(table.expiresAt),
  index('refresh_tokens_family_ended_at_idx').on(table.familyEndedAt).where(sql`${table.familyEndedAt} IS NOT NULL`),
])

/**
 * The networks (IPv4 /24, IPv6 /48) a user signed in or activated a code from, and when last: keyed hashes (HMAC
 * under a key derived from OTP_HMAC_SECRET), never addresses. Compared at activation for REFERRAL_SAME_NETWORK_HOURS;
 * housekeeping deletes rows unseen for 30 days.
 */
export const userNetworks = pgTable('user_networks', {
  userId: uuid('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
  networkHash: text('network_hash').notNull(),
  seenAt: timestamp('seen_at', { withTimezone: true }).notNull().defaultNow(),
}, table => [
  primaryKey({
    columns: [table.userId, table.networkHash],
  }),
  index('user_networks_seen_at_idx').on(table.seenAt),
])

/**
 * Keyed hashes (HMAC with OTP_HMAC_SECRET) of numbers that earned an invitee reward, recorded when the number
 * leaves its account (deletion, number change): deleting and re-joining cannot earn the reward twice, and the table
 * holds no phone number.
 */
export const rewardedNumbers = pgTable('rewarded_numbers', {
  numberHash: text('number_hash').primaryKey(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
})

/**
 * Per-user hourly quotas of profile updates and referral code attempts (PROFILE_UPDATES_PER_HOUR,
 * REFERRAL_ACTIVATIONS_PER_HOUR), charged by the update statement itself so that an edit is one round trip: the
 * conflict on (user, action) serialises a user's concurrent updates on this row.
 */
export const userQuotas = pgTable('user_quotas', {
  userId: uuid('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
  action: text('action').notNull(),
  hourStart: timestamp('hour_start', { withTimezone: true }).notNull(),
  count: integer('count').notNull(),
}, table => [
  primaryKey({
    columns: [table.userId, table.action],
  }),
])
