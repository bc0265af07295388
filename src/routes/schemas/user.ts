import { z } from '@hono/zod-openapi'
import { REWARD_STATES } from '../../domain/referral-rules'

const NO_CONTROL_CHARACTERS = /^\P{Cc}*$/u
/**
 * Invisible characters that change how the text around them reads: bidirectional embeddings, overrides and isolates
 * (U+202A–U+202E, U+2066–U+2069), zero-width spaces, joiners and direction marks (U+200B–U+200F, U+2060, U+FEFF,
 * U+061C). In a name they let an invitee make the entry in their inviter's referral list show something else (an
 * override turns "Anna\u202Etsinimda" into "Annaadministrator"). The cost: a name written with a zero-width joiner
 * or non-joiner (some Persian and Indic spellings, emoji sequences) must be typed without it.
 */
const NO_INVISIBLE_FORMATTING = /^[^\u061C\u200B-\u200F\u202A-\u202E\u2060\u2066-\u2069\uFEFF]*$/u

/** A first or last name as a person may set it; what others are shown of them. */
export const NameSchema = z.string()
  .trim()
  .max(150, 'At most 150 characters')
  .regex(NO_CONTROL_CHARACTERS, 'Control characters are not allowed')
  .regex(NO_INVISIBLE_FORMATTING, 'Invisible formatting characters (text-direction overrides, zero-width characters) are not allowed')
  .openapi({ description: 'At most 150 characters; no control characters, text-direction overrides or isolates, zero-width characters or direction marks.' })

export const UserSchema = z.object({
  id: z.uuid().openapi({ example: '0b7e8a52-51f4-4c1e-9a40-7d7f2f4f5f10' }),
  phone_number: z.string().openapi({ description: 'E.164', example: '+79123456789' }),
  first_name: z.string().openapi({ example: 'Ivan' }),
  last_name: z.string().openapi({ example: 'Petrov' }),
  email: z.string().nullable().openapi({ example: 'ivan@example.com' }),
  referral_code: z.string().openapi({ description: 'This user\'s own code, to share with people they invite.', example: 'K7WQ3M' }),
  inviter_referral_code: z.string().nullable().openapi({ description: 'The inviter\'s code once activated; null until then.', example: null }),
  points: z.number().int().openapi({ example: 200 }),
}).openapi('User')

export const ReferralSchema = z.object({
  first_name: z.string().openapi({ example: 'Anna' }),
  last_name: z.string().openapi({ example: 'Smirnova' }),
  phone_number: z.string().openapi({ description: 'Masked: only the prefix and the last two digits show.', example: '+7916*****45' }),
  joined_at: z.iso.datetime().openapi({ description: 'When they activated this user\'s code.', example: '2026-11-20T09:15:00.000Z' }),
  state: z.enum(REWARD_STATES).optional().openapi({ description: 'This user\'s reward for the referral: `paid`, `pending` (waiting for a qualifying event or a review), `capped` (past the per-inviter cap: 0 points) or `voided`. Present where any referral rule is on (docs/referral-rules.md) or the reward is not paid; absent means paid.', example: 'pending' }),
}).openapi('Referral')

const nextCursor = z.string().nullable().openapi({
  description: 'Pass as `cursor` to GET /users/profile/referrals/ for the next page; null when there are no more.',
  example: 'MjAyNi0xMS0yMFQwOToxNTowMC4xMjM0NTZaLzBiN2U4YTUyLTUxZjQtNGMxZS05YTQwLTdkN2YyZjRmNWYxMA',
})

export const ProfileSchema = UserSchema.extend({
  pending_points: z.number().int().optional().openapi({ description: 'Rewards waiting for a qualifying event or a review: not in `points`, not spendable yet. Present where any referral rule is on (docs/referral-rules.md) or something is pending; absent means 0.', example: 100 }),
  referrals_count: z.number().int().openapi({ description: 'How many people activated this user\'s code.', example: 1 }),
  referrals: z.array(ReferralSchema).openapi({ description: 'The 20 newest referrals; the rest are paged through GET /users/profile/referrals/.' }),
  referrals_next_cursor: nextCursor,
}).openapi('Profile')

export const ReferralPageSchema = z.object({
  referrals: z.array(ReferralSchema).openapi({ description: 'Newest first.' }),
  next_cursor: nextCursor,
}).openapi('ReferralPage')
