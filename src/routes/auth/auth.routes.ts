import { createRoute, z } from '@hono/zod-openapi'
import { ChannelNotAvailable, ClientAddressInvalid, CodeCheckFailed, DatabaseUnavailable, HumanCheckFailed, HumanCheckUnavailable, InvalidRefreshToken, InvalidSignInCode, MalformedBody, NoTelegramAccount, PayloadTooLarge, PhoneNumberNotTextable, RateLimited, ResendCooldown, SignInCodeAttemptsExceeded, SmsCountryNotAllowed, SmsDeliveryFailed, StorageUnavailable, UnsupportedMediaType, ValidationFailed } from '../../lib/errors'
import { PhoneNumberSchema } from '../schemas/phone-number'
import { problemResponses } from '../schemas/problem'
import { ChannelSchema, LocaleSchema, SendSmsResponseSchema, SmsCodeSchema, VerificationIdSchema } from '../schemas/sign-in-code'
import { LogoutBodySchema, RefreshTokenBodySchema, SignInSchema, TokenPairSchema } from '../schemas/tokens'

const tags = ['Authentication']

export const sendSms = createRoute({
  method: 'post',
  path: '/users/auth/send_sms/',
  tags,
  summary: 'Send a sign-in code by SMS',
  description: 'Generates a one-time code and texts it to the number (or sends it by WhatsApp or Telegram, where `channel` asks and the deployment offers it), in the language of `locale`, else of `Accept-Language`. The answer is the same whether or not an account exists, and never contains the code. The answer\'s `verification_id` names this code; earlier codes stay valid until they expire. One number gets at most one code a minute and five an hour, three of them per client (configurable); only mobile numbers are texted.',
  request: {
    body: {
      required: true,
      content: {
        'application/json': {
          schema: z.strictObject({
            phone_number: PhoneNumberSchema,
            turnstile_token: z.string().min(1).max(2048).optional().openapi({
              description: 'The Cloudflare Turnstile token of a passed challenge; required only where the deployment turns Turnstile on (`human_check_failed` otherwise).',
            }),
            channel: ChannelSchema,
            locale: LocaleSchema,
          }).openapi('SendSmsRequest'),
        },
      },
    },
  },
  responses: {
    202: {
      description: 'The code has been sent.',
      content: {
        'application/json': {
          schema: SendSmsResponseSchema,
        },
      },
    },
    ...problemResponses('/users/auth/send_sms/', {
      400: [
        ValidationFailed,
        MalformedBody,
        ClientAddressInvalid,
      ],
      403: [HumanCheckFailed],
      413: [PayloadTooLarge],
      415: [UnsupportedMediaType],
      422: [
        SmsCountryNotAllowed,
        PhoneNumberNotTextable,
        ChannelNotAvailable,
        NoTelegramAccount,
      ],
      429: [ResendCooldown, RateLimited],
      502: [SmsDeliveryFailed],
      503: [StorageUnavailable, HumanCheckUnavailable],
    }, {
      403: 'Turnstile is on and the request carried no passed challenge.',
      422: 'The number is in a country this service does not send SMS to, or of a kind that cannot receive a sign-in text: premium-rate, VoIP, satellite, landline (or the provider refuses it); the channel is not offered here; or Telegram cannot reach the number (`no_telegram_account`: nothing was charged, ask again by SMS).',
      429: 'Too soon after the last code for this number, or a quota is used up: codes per number per hour (of which one client may use only a part, whatever the channel), requests per client address, codes to new numbers per number range or country per day, or the SMS provider\'s own limit. `Retry-After` and `retry_after` say when to try again.',
      502: 'The SMS provider failed; nothing was charged (no cooldown either) and the request can be retried at once.',
      503: 'The store of sign-in codes and limits, or the human check (Turnstile), could not be reached; nothing was sent or charged. See `Retry-After`.',
    }),
  },
})

export const verifySms = createRoute({
  method: 'post',
  path: '/users/auth/verify_sms/',
  tags,
  summary: 'Sign in with the SMS code',
  description: 'Checks the code and signs the user in, registering them on their first sign-in. A code works once. Guesses that send the code\'s `verification_id` have five attempts of their own; guesses without it (the newest code) have five shared with everyone else (configurable); after that a new code must be requested.',
  request: {
    body: {
      required: true,
      content: {
        'application/json': {
          schema: z.strictObject({
            phone_number: PhoneNumberSchema,
            sms_code: SmsCodeSchema,
            verification_id: VerificationIdSchema.optional().openapi({ description: 'The `verification_id` send_sms answered with. Optional (clients of the original API send none), but with it the code has attempts no one else can use up.' }),
          }).openapi('VerifySmsRequest'),
        },
      },
    },
  },
  responses: {
    200: {
      description: 'Signed in.',
      content: {
        'application/json': { schema: SignInSchema },
      },
    },
    ...problemResponses('/users/auth/verify_sms/', {
      400: [
        ValidationFailed,
        MalformedBody,
        InvalidSignInCode,
        SignInCodeAttemptsExceeded,
        ClientAddressInvalid,
      ],
      413: [PayloadTooLarge],
      415: [UnsupportedMediaType],
      429: [RateLimited],
      502: [CodeCheckFailed],
      503: [StorageUnavailable, DatabaseUnavailable],
    }, {
      400: 'Invalid input; the code is wrong, expired or already used (`attempts_left` says how many more guesses it allows); or this code has had all its attempts and a new one must be requested.',
      429: 'Too many sign-in attempts from this client address; see `Retry-After`.',
      502: 'The provider that made the code (Twilio Verify) could not check it; the guess was not counted and can be repeated at once.',
    }),
  },
})

export const refresh = createRoute({
  method: 'post',
  path: '/users/auth/refresh/',
  tags,
  summary: 'Exchange a refresh token for a new token pair',
  description: 'Rotation: the presented refresh token stops working; keep the new one. Presenting a refresh token that was already exchanged is taken as theft: every session descended from the same sign-in is ended (401), and the user signs in again — except within a few seconds of its rotation (REFRESH_TOKEN_REUSE_GRACE_SECONDS, default 10), when it is the client\'s own concurrent refresh (two tabs, parallel requests) and gets one sibling pair of the same session, once. Access tokens already issued stay valid until they expire.',
  request: {
    body: {
      required: true,
      content: {
        'application/json': { schema: RefreshTokenBodySchema },
      },
    },
  },
  responses: {
    200: {
      description: 'A new token pair.',
      content: {
        'application/json': { schema: TokenPairSchema },
      },
    },
    ...problemResponses('/users/auth/refresh/', {
      400: [ValidationFailed, MalformedBody],
      401: [InvalidRefreshToken],
      413: [PayloadTooLarge],
      415: [UnsupportedMediaType],
      503: [DatabaseUnavailable],
    }, {
      401: 'The refresh token is unknown, expired, revoked or already used (and then its whole session family is revoked).',
    }),
  },
})

export const logout = createRoute({
  method: 'post',
  path: '/users/auth/logout/',
  tags,
  summary: 'Sign out of one session, or of every session',
  description: 'Idempotent: answers 204 whether or not the token was still live. Ends the whole session (every token descended from the same sign-in, rotated ones included); with `all: true` and a live refresh token, every session of its owner (sign out everywhere). Access tokens already issued stay valid until they expire.',
  request: {
    body: {
      required: true,
      content: {
        'application/json': { schema: LogoutBodySchema },
      },
    },
  },
  responses: {
    204: { description: 'No token of the session (or, with `all`, of any session of its owner) works any more.' },
    ...problemResponses('/users/auth/logout/', {
      400: [ValidationFailed, MalformedBody],
      413: [PayloadTooLarge],
      415: [UnsupportedMediaType],
      503: [DatabaseUnavailable],
    }),
  },
})

export type SendSmsRoute = typeof sendSms
export type VerifySmsRoute = typeof verifySms
export type RefreshRoute = typeof refresh
export type LogoutRoute = typeof logout
