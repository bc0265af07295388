import { createRoute, z } from '@hono/zod-openapi'
import { REFERRAL_FLAGS, REWARD_STATES } from '../../domain/referral-rules'
import { parseUserId } from '../../domain/user-id'
import { DatabaseUnavailable, IdempotencyKeyReused, InsufficientPoints, InsufficientScope, InvalidServerKey, MalformedBody, NoReferral, PayloadTooLarge, ReferralAlreadyPaid, ReferralVoided, UnknownUser, UnsupportedMediaType, ValidationFailed } from '../../lib/errors'
import { requireServerKey } from '../../middleware/require-server-key'
import { ledgerQuery, referralsQuery } from '../schemas/page-query'
import { PhoneNumberSchema } from '../schemas/phone-number'
import { problemResponses } from '../schemas/problem'
import { UserSchema } from '../schemas/user'

const tags = ['Server API']
const security = [
  { serverKey: [] },
]

const UserIdParamSchema = z.object({
  id: z.string().transform((value, ctx) => {
    const id = parseUserId(value)
    if (!id) {
      ctx.addIssue({ code: 'custom', message: 'A user id is a UUID' })
      return z.NEVER
    }
    return id
  }).openapi({
    param: { name: 'id', in: 'path' },
    description: 'The user\'s id (a UUID).',
    example: '0b7e8a52-51f4-4c1e-9a40-7d7f2f4f5f10',
  }),
})

const ServerUserSchema = UserSchema.extend({
  inviter_id: z.uuid().nullable().openapi({ description: 'Who invited this user; null until a code is activated, or once the inviter is deleted.', example: null }),
  referrals_count: z.number().int().openapi({ description: 'How many people activated this user\'s code.', example: 3 }),
  created_at: z.iso.datetime().openapi({ example: '2026-11-20T09:15:00.000Z' }),
}).openapi('ServerUser')

const REASONS = [
  'referral_invitee',
  'referral_inviter',
  'redemption',
  'adjustment',
] as const

const LedgerEntrySchema = z.object({
  id: z.string().openapi({ description: 'The transaction id.', example: '1042' }),
  amount: z.number().int().openapi({ description: 'Positive for a credit, negative for a debit.', example: -300 }),
  reason: z.enum(REASONS).openapi({ example: 'redemption' }),
  reference: z.string().nullable().openapi({ description: 'The caller\'s note, e.g. an order id.', example: 'order-7731' }),
  invitee_id: z.uuid().nullable().openapi({ description: 'For referral rewards: the invitee whose activation earned them.', example: null }),
  balance_after: z.number().int().nullable().openapi({ description: 'The balance once this row was written.', example: 900 }),
  state: z.enum(REWARD_STATES).openapi({ description: 'A referral reward\'s state (docs/referral-rules.md): `pending` and `capped` rows add 0 to the balance until paid (capped ones never); every other row is `paid`.', example: 'paid' }),
  award: z.number().int().nullable().openapi({ description: 'For referral rewards: what the reward is worth; `amount` is what it has added to the balance so far.', example: null }),
  created_at: z.iso.datetime().openapi({ example: '2026-11-26T05:00:00.000Z' }),
}).openapi('LedgerEntry')

const LedgerPageSchema = z.object({
  entries: z.array(LedgerEntrySchema).openapi({ description: 'Newest first; the entries sum to the balance.' }),
  next_cursor: z.string().nullable().openapi({ description: 'Pass as `cursor` for the next page; null when there are no more.', example: 'bGVkZ2VyLzEwNDI' }),
}).openapi('LedgerPage')

const TransactionRequestSchema = z.strictObject({
  amount: z.number('A whole number').int('A whole number').min(-1_000_000, 'At least -1000000').max(1_000_000, 'At most 1000000').refine(value => value !== 0, 'Not zero').openapi({ description: 'Points to credit (positive) or debit (negative).', example: -300 }),
  reason: z.enum(['redemption', 'adjustment'], 'redemption or adjustment').openapi({ description: '`redemption` (a reward bought with points) or `adjustment` (a correction); referral rewards are the service\'s own.', example: 'redemption' }),
  reference: z.string().trim().min(1, 'At least 1 character').max(200, 'At most 200 characters').regex(/^\P{Cc}*$/u, 'Control characters are not allowed').optional().openapi({ description: 'Your own note, e.g. an order id.', example: 'order-7731' }),
}).openapi('PointsTransactionRequest')

/** IETF httpapi Idempotency-Key: a structured-field string, quoted; a bare token is accepted too. */
const IdempotencyHeaderSchema = z.object({
  'idempotency-key': z.string('Send an Idempotency-Key header').transform(value => value.trim().replace(/^"(.*)"$/, '$1')).pipe(z.string().min(1, 'Must not be empty').max(255, 'At most 255 characters')).openapi({
    description: 'Unique per transaction (a UUID, say). Repeating it with the same body returns the first result without a second write; with another body it is refused (422).',
    example: '"8e03978e-40d5-43e8-bc93-6894a57f9324"',
  }),
})

const RewardSchema = z.object({
  state: z.enum(REWARD_STATES).openapi({ example: 'paid' }),
  points: z.number().int().openapi({ description: 'What the reward is worth (0 when capped).', example: 100 }),
  void_reason: z.string().nullable().openapi({ description: 'Why it was voided: the reason given, or `expired`.', example: null }),
}).openapi('ReferralReward')

const ServerReferralSchema = z.object({
  invitee_id: z.uuid().openapi({ example: '0b7e8a52-51f4-4c1e-9a40-7d7f2f4f5f10' }),
  inviter_id: z.uuid().nullable().openapi({ description: 'Null once the inviter\'s account is deleted.', example: '5d2c1f0e-8a3b-4c7d-9e6f-0a1b2c3d4e5f' }),
  activated_at: z.iso.datetime().openapi({ example: '2026-11-26T05:00:00.000Z' }),
  flags: z.array(z.enum(REFERRAL_FLAGS)).openapi({
    description: 'The farming signals that flagged the activation (docs/referral-rules.md); empty when none did.',
    example: ['same_network'],
  }),
  invitee_reward: RewardSchema.nullable(),
  inviter_reward: RewardSchema.nullable().openapi({ description: 'Null once the inviter\'s account is deleted.' }),
}).openapi('ServerReferral')

const VoidRequestSchema = z.strictObject({
  reason: z.string().trim().min(1, 'At least 1 character').max(200, 'At most 200 characters').regex(/^\P{Cc}*$/u, 'Control characters are not allowed').openapi({ description: 'Why, for your records and the referral.voided event (e.g. `refunded`, `fraud review`).', example: 'order refunded' }),
}).openapi('VoidReferralRequest')

const FlaggedReferralPageSchema = z.object({
  referrals: z.array(ServerReferralSchema).openapi({ description: 'Newest first.' }),
  next_cursor: z.string().nullable().openapi({ description: 'Pass as `cursor` for the next page; null when there are no more.', example: null }),
}).openapi('FlaggedReferralPage')

function readProblems(path: string) {
  return problemResponses(path, {
    400: [ValidationFailed],
    401: [InvalidServerKey],
    403: [InsufficientScope],
    404: [UnknownUser],
    503: [DatabaseUnavailable],
  }, {
    401: 'No server key, or one that is not configured (a user\'s access token is refused here).',
    403: 'The key lacks the `users:read` scope.',
  })
}

export const getUser = createRoute({
  method: 'get',
  path: '/server/v1/users/{id}/',
  tags,
  security,
  middleware: [
    requireServerKey('users:read'),
  ] as const,
  summary: 'A user by id, with points and inviter',
  request: { params: UserIdParamSchema },
  responses: {
    200: {
      description: 'The user.',
      content: {
        'application/json': { schema: ServerUserSchema },
      },
    },
    ...readProblems('/server/v1/users/{id}/'),
  },
})

export const findUser = createRoute({
  method: 'get',
  path: '/server/v1/users/',
  tags,
  security,
  middleware: [
    requireServerKey('users:read'),
  ] as const,
  summary: 'A user by phone number',
  request: {
    query: z.object({
      phone_number: PhoneNumberSchema,
    }),
  },
  responses: {
    200: {
      description: 'The user with this number.',
      content: {
        'application/json': { schema: ServerUserSchema },
      },
    },
    ...readProblems('/server/v1/users/'),
  },
})

export const listLedger = createRoute({
  method: 'get',
  path: '/server/v1/users/{id}/points/ledger/',
  tags,
  security,
  middleware: [
    requireServerKey('users:read'),
  ] as const,
  summary: 'A user\'s points ledger, a page at a time',
  description: 'Newest first. Follow `next_cursor` until it is null.',
  request: { params: UserIdParamSchema, query: ledgerQuery },
  responses: {
    200: {
      description: 'One page of the ledger.',
      content: {
        'application/json': { schema: LedgerPageSchema },
      },
    },
    ...readProblems('/server/v1/users/{id}/points/ledger/'),
  },
})

export const createTransaction = createRoute({
  method: 'post',
  path: '/server/v1/users/{id}/points/transactions/',
  tags,
  security,
  middleware: [
    requireServerKey('points:write'),
  ] as const,
  summary: 'Credit or debit a user\'s points, once per Idempotency-Key',
  description: 'The balance and its ledger row change together, in one statement. A debit below zero is refused (409) and writes nothing; concurrent debits never overdraw. Repeating a request with its Idempotency-Key and the same body returns the first result (same transaction id, `Idempotent-Replayed: true`) without a second write.',
  request: {
    params: UserIdParamSchema,
    headers: IdempotencyHeaderSchema,
    body: {
      required: true,
      content: {
        'application/json': { schema: TransactionRequestSchema },
      },
    },
  },
  responses: {
    200: {
      description: 'The transaction, as first recorded.',
      content: {
        'application/json': { schema: LedgerEntrySchema },
      },
    },
    ...problemResponses('/server/v1/users/{id}/points/transactions/', {
      400: [ValidationFailed, MalformedBody],
      401: [InvalidServerKey],
      403: [InsufficientScope],
      404: [UnknownUser],
      409: [InsufficientPoints],
      413: [PayloadTooLarge],
      415: [UnsupportedMediaType],
      422: [IdempotencyKeyReused],
      503: [DatabaseUnavailable],
    }, {
      400: 'Invalid input, or no Idempotency-Key header.',
      401: 'No server key, or one that is not configured (a user\'s access token is refused here).',
      403: 'The key lacks the `points:write` scope.',
      409: 'The debit would take the balance below zero; nothing was written.',
      422: 'This Idempotency-Key was used with another body.',
    }),
  },
})

function settleProblems(path: string, conflict: string) {
  return problemResponses(path, {
    400: [ValidationFailed, MalformedBody],
    401: [InvalidServerKey],
    403: [InsufficientScope],
    404: [UnknownUser, NoReferral],
    409: [ReferralVoided, ReferralAlreadyPaid],
    413: [PayloadTooLarge],
    415: [UnsupportedMediaType],
    422: [IdempotencyKeyReused],
    503: [DatabaseUnavailable],
  }, {
    400: 'Invalid input, or no Idempotency-Key header.',
    401: 'No server key, or one that is not configured (a user\'s access token is refused here).',
    403: 'The key lacks the `points:write` scope.',
    404: 'No such user, or the user never activated a code.',
    409: conflict,
    422: 'This Idempotency-Key was used with another request.',
  })
}

function settleResponse(description: string) {
  return {
    description,
    content: {
      'application/json': { schema: ServerReferralSchema },
    },
  }
}

export const qualifyReferral = createRoute({
  method: 'post',
  path: '/server/v1/users/{id}/referral/qualify/',
  tags,
  security,
  middleware: [
    requireServerKey('points:write'),
  ] as const,
  summary: 'Pay a referral\'s pending rewards: the invitee made their qualifying event',
  description: 'Under `REFERRAL_REWARD_ON=qualifying_event`, or for a flagged referral, both rewards wait as pending. This pays them: each balance is credited with its reward, in one statement with the ledger and the `referral.qualified` event. A referral already paid is answered as it is (nothing is paid twice); a repeated Idempotency-Key replays (`Idempotent-Replayed: true`). A capped inviter reward stays capped.',
  request: { params: UserIdParamSchema, headers: IdempotencyHeaderSchema },
  responses: {
    200: settleResponse('The referral with its rewards as they now stand.'),
    ...settleProblems('/server/v1/users/{id}/referral/qualify/', 'The referral\'s rewards were voided; nothing was paid.'),
  },
})

export const voidReferral = createRoute({
  method: 'post',
  path: '/server/v1/users/{id}/referral/void/',
  tags,
  security,
  middleware: [
    requireServerKey('points:write'),
  ] as const,
  summary: 'Void a referral\'s pending rewards',
  description: 'The pending rewards of both sides are voided, kept in the ledger with the reason, and the `referral.voided` event is recorded. Balances do not change (pending rewards were never in them). A referral already voided is answered as it is; one already paid is refused.',
  request: {
    params: UserIdParamSchema,
    headers: IdempotencyHeaderSchema,
    body: {
      required: true,
      content: {
        'application/json': { schema: VoidRequestSchema },
      },
    },
  },
  responses: {
    200: settleResponse('The referral with its rewards as they now stand.'),
    ...settleProblems('/server/v1/users/{id}/referral/void/', 'The referral\'s rewards were already paid; nothing was voided.'),
  },
})

export const listReferrals = createRoute({
  method: 'get',
  path: '/server/v1/referrals/',
  tags,
  security,
  middleware: [
    requireServerKey('users:read'),
  ] as const,
  summary: 'Flagged referrals waiting for review',
  description: 'Activations a farming signal flagged whose rewards still wait (`REFERRAL_FLAGGED=pending`), newest first: approve each with …/referral/qualify/ or void it with …/referral/void/. Follow `next_cursor` until it is null.',
  request: {
    query: referralsQuery('The `next_cursor` of the previous page; omit for the first page.').extend({
      status: z.enum(['flagged'], 'flagged (the only list so far)').openapi({ description: '`flagged`: flagged and not yet settled.', example: 'flagged' }),
    }),
  },
  responses: {
    200: {
      description: 'One page of flagged referrals.',
      content: {
        'application/json': { schema: FlaggedReferralPageSchema },
      },
    },
    ...problemResponses('/server/v1/referrals/', {
      400: [ValidationFailed],
      401: [InvalidServerKey],
      403: [InsufficientScope],
      503: [DatabaseUnavailable],
    }, {
      401: 'No server key, or one that is not configured (a user\'s access token is refused here).',
      403: 'The key lacks the `users:read` scope.',
    }),
  },
})

export type ListReferralsRoute = typeof listReferrals
export type QualifyReferralRoute = typeof qualifyReferral
export type VoidReferralRoute = typeof voidReferral
export type GetUserRoute = typeof getUser
export type FindUserRoute = typeof findUser
export type ListLedgerRoute = typeof listLedger
export type CreateTransactionRoute = typeof createTransaction
