import { createRoute, z } from '@hono/zod-openapi'
import { REFERRAL_CODE_PATTERN } from '../../domain/referral-code'
import { ClientAddressInvalid, CodeCheckFailed, DatabaseUnavailable, HumanCheckFailed, HumanCheckUnavailable, InvalidSignInCode, MalformedBody, NoTelegramAccount, OwnReferralCode, PayloadTooLarge, PhoneNumberNotTextable, PhoneNumberTaken, RateLimited, ReferralAlreadyActivated, ReferralCodeNotFound, ReferralCycle, ReferralFlagged, ResendCooldown, SignInCodeAttemptsExceeded, SmsCountryNotAllowed, SmsDeliveryFailed, StorageUnavailable, Unauthenticated, UnsupportedMediaType, UserNotFound, ValidationFailed } from '../../lib/errors'
import { requireUser } from '../../middleware/require-user'
import { referralsQuery } from '../schemas/page-query'
import { PhoneNumberSchema } from '../schemas/phone-number'
import { problemResponses } from '../schemas/problem'
import { SendSmsResponseSchema, SmsCodeSchema, VerificationIdSchema } from '../schemas/sign-in-code'
import { NameSchema, ProfileSchema, ReferralPageSchema } from '../schemas/user'

const tags = ['Profile']
const security = [
  { bearerAuth: [] },
]

const ProfileUpdateSchema = z.strictObject({
  first_name: NameSchema.optional().openapi({ example: 'Ivan' }),
  last_name: NameSchema.optional().openapi({ example: 'Petrov' }),
  email: z.string().trim().max(254, 'At most 254 characters').pipe(z.email('Enter a valid email address')).nullable().optional().openapi({ description: 'null removes the address.', example: 'ivan@example.com' }),
  inviter_referral_code: z.string().trim().toUpperCase().regex(REFERRAL_CODE_PATTERN, 'A referral code is 6 letters and digits').optional().openapi({ description: 'Someone else\'s referral code. Activates once: you get +100 points and the inviter +200.', example: 'K7WQ3M' }),
}).openapi('ProfileUpdateRequest')

export const getProfile = createRoute({
  method: 'get',
  path: '/users/profile/',
  tags,
  security,
  middleware: [requireUser] as const,
  summary: 'Your profile, with your newest referrals',
  responses: {
    200: {
      description: 'The signed-in user\'s profile.',
      content: {
        'application/json': { schema: ProfileSchema },
      },
    },
    ...problemResponses('/users/profile/', {
      401: [Unauthenticated, UserNotFound],
      503: [DatabaseUnavailable],
    }),
  },
})

export const listReferrals = createRoute({
  method: 'get',
  path: '/users/profile/referrals/',
  tags,
  security,
  middleware: [requireUser] as const,
  summary: 'Your referrals, a page at a time',
  description: 'Newest first. Follow `next_cursor` until it is null; each page costs the same however long the list is.',
  request: {
    query: referralsQuery('The `next_cursor` (or the profile\'s `referrals_next_cursor`) of the previous page; omit for the first page.'),
  },
  responses: {
    200: {
      description: 'One page of the people who activated your referral code (phone numbers masked).',
      content: {
        'application/json': { schema: ReferralPageSchema },
      },
    },
    ...problemResponses('/users/profile/referrals/', {
      400: [ValidationFailed],
      401: [Unauthenticated, UserNotFound],
      503: [DatabaseUnavailable],
    }),
  },
})

export const updateProfile = createRoute({
  method: 'patch',
  path: '/users/profile/update/',
  tags,
  security,
  middleware: [requireUser] as const,
  summary: 'Edit your profile and/or activate an inviter\'s referral code',
  description: 'Partial update. With `inviter_referral_code`, the activation and any field changes land together, or not at all when the activation is refused. A user who has already activated a code is told so (409) whatever code they send.',
  request: {
    body: {
      required: true,
      content: {
        'application/json': { schema: ProfileUpdateSchema },
      },
    },
  },
  responses: {
    200: {
      description: 'The updated profile.',
      content: {
        'application/json': { schema: ProfileSchema },
      },
    },
    ...problemResponses('/users/profile/update/', {
      400: [ValidationFailed, MalformedBody],
      401: [Unauthenticated, UserNotFound],
      404: [ReferralCodeNotFound],
      409: [ReferralAlreadyActivated, ReferralCycle, ReferralFlagged],
      413: [PayloadTooLarge],
      415: [UnsupportedMediaType],
      422: [OwnReferralCode],
      429: [RateLimited],
      503: [DatabaseUnavailable],
    }, {
      404: 'No user has this referral code.',
      409: 'You already activated a code, the code belongs to someone you invited, or the activation looks like a self-referral (with REFERRAL_FLAGGED=block).',
      422: 'This is your own referral code.',
      429: 'Too many referral code attempts, or profile changes, by this user this hour. `Retry-After` and `retry_after` say when to try again.',
    }),
  },
})

export const deleteAccount = createRoute({
  method: 'post',
  path: '/users/profile/delete/',
  tags,
  security,
  middleware: [requireUser] as const,
  summary: 'Delete your account, with a fresh code sent to your number',
  description: 'Ask send_sms for a code to your own number first and send it here: an access token alone cannot delete an account. Removes you, every session of yours and your ledger; people you invited keep their accounts and points, and your inviter keeps the points you earned them. The number may sign up again afterwards as a new user (new referral code, no points), but it cannot earn a second invitee reward, and its limits on codes carry on. A POST because a DELETE body has no defined meaning in HTTP.',
  request: {
    body: {
      required: true,
      content: {
        'application/json': {
          schema: z.strictObject({
            sms_code: SmsCodeSchema,
            verification_id: VerificationIdSchema.optional().openapi({ description: 'The `verification_id` send_sms answered with, as for verify_sms.' }),
          }).openapi('DeleteAccountRequest'),
        },
      },
    },
  },
  responses: {
    204: { description: 'The account is gone; its access tokens answer 401 `user_not_found`, its refresh tokens no longer work.' },
    ...problemResponses('/users/profile/delete/', {
      400: [
        ValidationFailed,
        MalformedBody,
        InvalidSignInCode,
        SignInCodeAttemptsExceeded,
        ClientAddressInvalid,
      ],
      401: [Unauthenticated, UserNotFound],
      413: [PayloadTooLarge],
      415: [UnsupportedMediaType],
      429: [RateLimited],
      502: [CodeCheckFailed],
      503: [StorageUnavailable, DatabaseUnavailable],
    }, {
      400: 'Invalid input; the code is wrong, expired or already used (`attempts_left` says how many more guesses it allows); or this code has had all its attempts.',
      429: 'Too many code attempts from this client address; see `Retry-After`.',
    }),
  },
})

const NewPhoneNumberSchema = PhoneNumberSchema.openapi({ description: 'The number to move to, in international format; spaces, dashes and brackets are ignored.', example: '+79991234567' })

export const sendPhoneChangeCode = createRoute({
  method: 'post',
  path: '/users/profile/phone/',
  tags,
  security,
  middleware: [requireUser] as const,
  summary: 'Move to a new phone number, step 1: a code to the new number',
  description: 'Texts a code to the new number, under the same rules and limits as send_sms (mobile numbers only, one code a minute, five an hour). Whether another account holds the number is said only at step 2, to someone who has proved they hold it.',
  request: {
    body: {
      required: true,
      content: {
        'application/json': {
          schema: z.strictObject({
            new_phone_number: NewPhoneNumberSchema,
            turnstile_token: z.string().min(1).max(2048).optional().openapi({ description: 'As for send_sms: required only where the deployment turns Turnstile on.' }),
          }).openapi('PhoneChangeRequest'),
        },
      },
    },
  },
  responses: {
    202: {
      description: 'The code has been sent to the new number.',
      content: {
        'application/json': { schema: SendSmsResponseSchema },
      },
    },
    ...problemResponses('/users/profile/phone/', {
      400: [ValidationFailed, MalformedBody, ClientAddressInvalid],
      401: [Unauthenticated],
      403: [HumanCheckFailed],
      413: [PayloadTooLarge],
      415: [UnsupportedMediaType],
      422: [SmsCountryNotAllowed, PhoneNumberNotTextable, NoTelegramAccount],
      429: [ResendCooldown, RateLimited],
      502: [SmsDeliveryFailed],
      503: [StorageUnavailable, HumanCheckUnavailable],
    }, {
      422: 'The new number is in a country this service does not send SMS to, or of a kind that cannot receive a text.',
      429: 'Too soon after the last code for this number, or one of send_sms\'s quotas is used up. `Retry-After` and `retry_after` say when to try again.',
      502: 'The SMS provider failed; nothing was charged and the request can be retried at once.',
    }),
  },
})

export const changePhoneNumber = createRoute({
  method: 'post',
  path: '/users/profile/phone/verify/',
  tags,
  security,
  middleware: [requireUser] as const,
  summary: 'Move to a new phone number, step 2: the code, and the swap',
  description: 'Checks the code sent to the new number and moves your account to it at once: the old number is free the moment this answers, your referral code, inviter and points stay, and every other session of yours is signed out (this one continues). Of two accounts claiming one number at once, exactly one gets it; the other is told it is taken.',
  request: {
    body: {
      required: true,
      content: {
        'application/json': {
          schema: z.strictObject({
            new_phone_number: NewPhoneNumberSchema,
            sms_code: SmsCodeSchema,
            verification_id: VerificationIdSchema.optional().openapi({ description: 'The `verification_id` step 1 answered with, as for verify_sms.' }),
          }).openapi('PhoneChangeVerifyRequest'),
        },
      },
    },
  },
  responses: {
    200: {
      description: 'Your profile, with the new number.',
      content: {
        'application/json': { schema: ProfileSchema },
      },
    },
    ...problemResponses('/users/profile/phone/verify/', {
      400: [
        ValidationFailed,
        MalformedBody,
        InvalidSignInCode,
        SignInCodeAttemptsExceeded,
        ClientAddressInvalid,
      ],
      401: [Unauthenticated, UserNotFound],
      409: [PhoneNumberTaken],
      413: [PayloadTooLarge],
      415: [UnsupportedMediaType],
      429: [RateLimited],
      502: [CodeCheckFailed],
      503: [StorageUnavailable, DatabaseUnavailable],
    }, {
      400: 'Invalid input; the code is wrong, expired or already used (`attempts_left` says how many more guesses it allows); or this code has had all its attempts.',
      409: 'Another account holds the new number.',
      429: 'Too many code attempts from this client address; see `Retry-After`.',
    }),
  },
})

export type GetProfileRoute = typeof getProfile
export type ListReferralsRoute = typeof listReferrals
export type UpdateProfileRoute = typeof updateProfile
export type DeleteAccountRoute = typeof deleteAccount
export type SendPhoneChangeCodeRoute = typeof sendPhoneChangeCode
export type ChangePhoneNumberRoute = typeof changePhoneNumber
