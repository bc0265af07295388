// Typed errors thrown by domain and storage code. `onError` (lib/problem.ts) is the one place that turns them into
// RFC 9457 problem details, so the wire format lives in one module and the rules never build responses.
//
// This file is also the catalogue the API documentation is made from: each class's static `example()` builds one
// through its real constructor, and the OpenAPI document shows it as the example of its code under its status
// (routes/schemas/problem.ts), so a documented code, status or body shape cannot drift from what is thrown.
// A new error: a class here with a one-line doc comment, its `status`, `code`, `title` and `example()`; then list it
// under its status in the `problemResponses` of each route that can answer with it.

export interface FieldError {
  path: string
  message: string
}

/** Members some problems add to the body (RFC 9457 extension members), each documented in the Problem schema. */
export interface ProblemExtensions {
  retry_after?: number
  attempts_left?: number
}

export abstract class AppError extends Error {
  abstract readonly status: 400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 429 | 500 | 502 | 503
  /** Stable machine-readable identifier; also the last segment of the problem `type` URI. */
  abstract readonly code: string
  abstract readonly title: string
  readonly errors?: FieldError[]
  readonly headers?: Record<string, string>

  constructor(detail: string, options?: { errors?: FieldError[], cause?: unknown }) {
    super(detail, { cause: options?.cause })
    this.errors = options?.errors
  }

  get extensions(): ProblemExtensions {
    return {}
  }
}

/** The request body or query failed schema validation. */
export class ValidationFailed extends AppError {
  readonly status = 400
  readonly code = 'validation_failed'
  readonly title = 'Your request is not valid'
  static readonly example = () => new ValidationFailed('phone_number: Enter a valid phone number in international format, e.g. +79123456789', {
    errors: [
      { path: 'phone_number', message: 'Enter a valid phone number in international format, e.g. +79123456789' },
    ],
  })
}

/**
 * CF-Connecting-IP, which Cloudflare sets on every request it forwards, is missing or not one IP address, so the
 * request cannot be counted under its client's quotas.
 */
export class ClientAddressInvalid extends AppError {
  readonly status = 400
  readonly code = 'client_address_invalid'
  readonly title = 'The request\'s client address is missing or not valid'
  static readonly example = () => new ClientAddressInvalid('The request carries no client address (CF-Connecting-IP).')
}

/** The body could not be parsed as JSON. */
export class MalformedBody extends AppError {
  readonly status = 400
  readonly code = 'malformed_body'
  readonly title = 'The request body is not valid JSON'
  static readonly example = () => new MalformedBody('The request body could not be parsed as JSON.')
}

/** The body is not JSON where JSON is required. */
export class UnsupportedMediaType extends AppError {
  readonly status = 415
  readonly code = 'unsupported_media_type'
  readonly title = 'Send the body as application/json'
  static readonly example = () => new UnsupportedMediaType('This operation accepts application/json bodies only.')
}

/** The body is larger than the service accepts. */
export class PayloadTooLarge extends AppError {
  readonly status = 413
  readonly code = 'payload_too_large'
  readonly title = 'The request body is too large'
  static readonly example = () => new PayloadTooLarge('The request body exceeds 16384 bytes.')
}

/** The sign-in code is wrong, expired, already used or was never sent. */
export class InvalidSignInCode extends AppError {
  readonly status = 400
  readonly code = 'invalid_sms_code'
  readonly title = 'The code is wrong or has expired'
  /** Guesses this code still allows; unknown when no code is waiting (none was sent, or it expired or was used). */
  readonly attemptsLeft?: number
  static readonly example = () => new InvalidSignInCode('The code is wrong or has expired. Check it, or request a new one. 4 attempt(s) left.', {
    errors: [
      { path: 'sms_code', message: 'The code is wrong or has expired' },
    ],
    attemptsLeft: 4,
  })

  constructor(detail: string, options?: { errors?: FieldError[], attemptsLeft?: number }) {
    super(detail, options)
    this.attemptsLeft = options?.attemptsLeft
  }

  override get extensions(): ProblemExtensions {
    return { attempts_left: this.attemptsLeft }
  }
}

/** Every guess this code allowed has been used; it is dead and only a new code helps. */
export class SignInCodeAttemptsExceeded extends AppError {
  readonly status = 400
  readonly code = 'sms_code_attempts_exceeded'
  readonly title = 'Too many wrong codes'
  static readonly example = () => new SignInCodeAttemptsExceeded('Too many wrong codes: this one no longer works. Request a new code.', {
    errors: [
      { path: 'sms_code', message: 'Too many wrong attempts; request a new code' },
    ],
  })
}

/** The number is in a country the service does not send SMS to. */
export class SmsCountryNotAllowed extends AppError {
  readonly status = 422
  readonly code = 'sms_country_not_allowed'
  readonly title = 'We do not send SMS to this country'
  static readonly example = () => new SmsCountryNotAllowed('This service does not send sign-in codes to numbers in this country.', {
    errors: [
      { path: 'phone_number', message: 'We do not send SMS to this country' },
    ],
  })
}

/** The number is of a kind that cannot receive a sign-in text (premium-rate, VoIP, satellite, landline…). */
export class PhoneNumberNotTextable extends AppError {
  readonly status = 422
  readonly code = 'phone_number_not_textable'
  readonly title = 'This number cannot receive sign-in codes'
  static readonly example = () => new PhoneNumberNotTextable('Sign-in codes are sent to mobile numbers only; this one is a landline.', {
    errors: [
      { path: 'phone_number', message: 'Enter a mobile number' },
    ],
  })
}

/** send_sms named a channel this deployment does not offer (SMS_CHANNELS), or one that does not exist. */
export class ChannelNotAvailable extends AppError {
  readonly status = 422
  readonly code = 'channel_not_available'
  readonly title = 'Codes are not sent through this channel'
  static readonly example = () => new ChannelNotAvailable('Codes are not sent through "fax" here; use one of: sms, telegram.', {
    errors: [
      { path: 'channel', message: 'Use one of: sms, telegram' },
    ],
  })
}

/** Telegram Gateway cannot reach the number: it has no Telegram account. Nothing was charged: ask for an SMS. */
export class NoTelegramAccount extends AppError {
  readonly status = 422
  readonly code = 'no_telegram_account'
  readonly title = 'This number has no Telegram account'
  static readonly example = () => new NoTelegramAccount('Telegram cannot deliver to this number; ask for the code by SMS instead.', {
    errors: [
      { path: 'channel', message: 'No Telegram account on this number' },
    ],
  })
}

/** Sign-in codes require a passed human check (Cloudflare Turnstile) and the token was missing or not accepted. */
export class HumanCheckFailed extends AppError {
  readonly status = 403
  readonly code = 'human_check_failed'
  readonly title = 'Complete the human check and try again'
  static readonly example = () => new HumanCheckFailed('Complete the human check (Cloudflare Turnstile), then ask for the code again.', {
    errors: [
      { path: 'turnstile_token', message: 'The human check is missing or was not passed' },
    ],
  })
}

abstract class TooManyRequests extends AppError {
  readonly status = 429
  override readonly headers: Record<string, string>
  /** When the client may try again; also sent as `Retry-After`. */
  readonly retryAfterSeconds: number

  constructor(detail: string, retryAfterSeconds: number) {
    super(detail)
    this.retryAfterSeconds = retryAfterSeconds
    this.headers = {
      'Retry-After': String(retryAfterSeconds),
    }
  }

  override get extensions(): ProblemExtensions {
    return { retry_after: this.retryAfterSeconds }
  }
}

/** A code was sent to this number moments ago; the next one may follow after the cooldown. */
export class ResendCooldown extends TooManyRequests {
  readonly code = 'resend_cooldown'
  readonly title = 'Wait before requesting another code'
  static readonly example = () => new ResendCooldown('A code was sent moments ago. You can ask for another in 42 s.', 42)
}

/** A quota (per number, per client address, per country) is used up for now. */
export class RateLimited extends TooManyRequests {
  readonly code = 'rate_limited'
  readonly title = 'Too many requests'
  static readonly example = () => new RateLimited('Too many requests of this kind this hour. Try again in 1800 s.', 1800)
}

/** No valid access token accompanied a request that needs one. */
export class Unauthenticated extends AppError {
  readonly status = 401
  readonly code = 'unauthenticated'
  readonly title = 'Authentication required'
  static readonly example = () => new Unauthenticated('The access token is invalid or has expired.', 'invalid_token')
  override readonly headers: Record<string, string>

  /** Per RFC 6750 a request with no credentials at all gets a challenge without an error code. */
  constructor(detail: string, bearerError?: 'invalid_request' | 'invalid_token', options?: { cause?: unknown }) {
    super(detail, options)
    this.headers = {
      'WWW-Authenticate': bearerError
        ? `Bearer realm="phone-auth", error="${bearerError}"`
        : 'Bearer realm="phone-auth"',
    }
  }
}

/** The refresh token is unknown, expired, revoked or already rotated. */
export class InvalidRefreshToken extends AppError {
  readonly status = 401
  readonly code = 'invalid_refresh_token'
  readonly title = 'The refresh token is not valid'
  static readonly example = () => new InvalidRefreshToken('The refresh token is unknown, expired or already used. Sign in again.')
  override readonly headers = { 'WWW-Authenticate': 'Bearer realm="phone-auth", error="invalid_token"' }
}

/** The access token was valid but its user no longer exists. */
export class UserNotFound extends AppError {
  readonly status = 401
  readonly code = 'user_not_found'
  readonly title = 'The account no longer exists'
  static readonly example = () => new UserNotFound('The account this token belongs to no longer exists.')
  override readonly headers = { 'WWW-Authenticate': 'Bearer realm="phone-auth", error="invalid_token"' }
}

/** No user has the referral code that was given. */
export class ReferralCodeNotFound extends AppError {
  readonly status = 404
  readonly code = 'referral_code_not_found'
  readonly title = 'No one has this referral code'
  static readonly example = () => new ReferralCodeNotFound('No user has this referral code. Check it and try again.', {
    errors: [
      { path: 'inviter_referral_code', message: 'Unknown referral code' },
    ],
  })
}

/** A user tried to activate their own referral code. */
export class OwnReferralCode extends AppError {
  readonly status = 422
  readonly code = 'own_referral_code'
  readonly title = 'You cannot use your own referral code'
  static readonly example = () => new OwnReferralCode('This is your own referral code; enter the code of the person who invited you.', {
    errors: [
      { path: 'inviter_referral_code', message: 'This is your own code' },
    ],
  })
}

/** The user has already activated an inviter's code; it can be done once. */
export class ReferralAlreadyActivated extends AppError {
  readonly status = 409
  readonly code = 'referral_already_activated'
  readonly title = 'A referral code is already activated'
  static readonly example = () => new ReferralAlreadyActivated('You have already activated an inviter\'s code; it can be done only once.', {
    errors: [
      { path: 'inviter_referral_code', message: 'Already activated' },
    ],
  })
}

/** Activating the code would make the inviter an invitee of their own invitee (directly or further down). */
export class ReferralCycle extends AppError {
  readonly status = 409
  readonly code = 'referral_cycle'
  readonly title = 'You cannot use the code of someone you invited'
  static readonly example = () => new ReferralCycle('This code belongs to someone you invited; referrals cannot go in a circle.', {
    errors: [
      { path: 'inviter_referral_code', message: 'This person was invited by you' },
    ],
  })
}

/** The activation tripped a farming signal and REFERRAL_FLAGGED=block: refused, and nothing was written. */
export class ReferralFlagged extends AppError {
  readonly status = 409
  readonly code = 'referral_flagged'
  readonly title = 'This activation was not accepted'
  static readonly example = () => new ReferralFlagged('This activation looks like a self-referral, so it was not accepted. If you were really invited, contact support.', {
    errors: [
      { path: 'inviter_referral_code', message: 'Not accepted for review reasons' },
    ],
  })
}

/** The session id is not one of the caller's live sessions (another user's looks exactly the same). */
export class SessionNotFound extends AppError {
  readonly status = 404
  readonly code = 'session_not_found'
  readonly title = 'No such session'
  static readonly example = () => new SessionNotFound('You have no live session with this id.')
}

/** Another account holds the phone number the caller wants to move to. */
export class PhoneNumberTaken extends AppError {
  readonly status = 409
  readonly code = 'phone_number_taken'
  readonly title = 'Another account has this phone number'
  static readonly example = () => new PhoneNumberTaken('Another account uses this phone number.', {
    errors: [
      { path: 'new_phone_number', message: 'Another account uses this number' },
    ],
  })
}

/** The SMS provider refused or did not answer in time; nothing was charged, the client may retry at once. */
export class SmsDeliveryFailed extends AppError {
  readonly status = 502
  readonly code = 'sms_delivery_failed'
  readonly title = 'The SMS could not be sent'
  static readonly example = () => new SmsDeliveryFailed('The SMS provider did not answer in time; please try again.')
}

/** The provider that made the code (Twilio Verify) failed or did not answer, so the guess was not counted. */
export class CodeCheckFailed extends AppError {
  readonly status = 502
  readonly code = 'code_check_failed'
  readonly title = 'The code could not be checked'
  static readonly example = () => new CodeCheckFailed('The SMS provider did not answer in time, so the code could not be checked; please try again.')
}

/** The server API was called without a server key, or with one that is not configured (a user's token is not one). */
export class InvalidServerKey extends AppError {
  readonly status = 401
  readonly code = 'invalid_server_key'
  readonly title = 'A valid server key is required'
  static readonly example = () => new InvalidServerKey('Send a server key as `Authorization: Bearer <key>`; this one is not configured.')
  override readonly headers = { 'WWW-Authenticate': 'Bearer realm="phone-auth-server", error="invalid_token"' }
}

/** The server key is valid but lacks the scope this operation needs. */
export class InsufficientScope extends AppError {
  readonly status = 403
  readonly code = 'insufficient_scope'
  readonly title = 'The server key lacks the scope this operation needs'
  static readonly example = () => new InsufficientScope('This operation needs the points:write scope; the key "reporting" has users:read.')
  override readonly headers = { 'WWW-Authenticate': 'Bearer realm="phone-auth-server", error="insufficient_scope"' }
}

/** No user has this id or phone number (server API). */
export class UnknownUser extends AppError {
  readonly status = 404
  readonly code = 'unknown_user'
  readonly title = 'No such user'
  static readonly example = () => new UnknownUser('No user has this id.')
}

/** The user exists but never activated an inviter's code, so there is no referral to qualify or void. */
export class NoReferral extends AppError {
  readonly status = 404
  readonly code = 'no_referral'
  readonly title = 'This user has no referral'
  static readonly example = () => new NoReferral('This user has not activated an inviter\'s code; there is no referral reward to settle.')
}

/** The referral's rewards were already voided; a voided reward is never paid. */
export class ReferralVoided extends AppError {
  readonly status = 409
  readonly code = 'referral_voided'
  readonly title = 'This referral was voided'
  static readonly example = () => new ReferralVoided('This referral\'s rewards were voided (expired); they cannot be qualified.')
}

/** The referral's rewards were already paid; paid points are taken back only by a points transaction. */
export class ReferralAlreadyPaid extends AppError {
  readonly status = 409
  readonly code = 'referral_already_paid'
  readonly title = 'This referral was already paid'
  static readonly example = () => new ReferralAlreadyPaid('This referral\'s rewards were already paid; nothing was voided. Debit the points with a transaction if you must.')
}

/** A debit would take the user's balance below zero; nothing was written. */
export class InsufficientPoints extends AppError {
  readonly status = 409
  readonly code = 'insufficient_points'
  readonly title = 'Not enough points'
  static readonly example = () => new InsufficientPoints('The user has fewer points than this debit takes; nothing was changed.', {
    errors: [
      { path: 'amount', message: 'More than the balance' },
    ],
  })
}

/** The Idempotency-Key was already used for a request with another body. */
export class IdempotencyKeyReused extends AppError {
  readonly status = 422
  readonly code = 'idempotency_key_reused'
  readonly title = 'This Idempotency-Key was used for another request'
  static readonly example = () => new IdempotencyKeyReused('This Idempotency-Key was already used with another body; use a new key for a new transaction.', {
    errors: [
      { path: 'idempotency-key', message: 'Already used with another body' },
    ],
  })
}

/** A route that does not exist. */
export class RouteNotFound extends AppError {
  readonly status = 404
  readonly code = 'not_found'
  readonly title = 'Not found'
  static readonly example = () => new RouteNotFound('No operation at GET /users/profiles/.')
}

/** An unexpected failure on our side; details go to the log, never to the client. */
export class InternalError extends AppError {
  readonly status = 500
  readonly code = 'internal_error'
  readonly title = 'Something went wrong on our side'
  static readonly example = () => new InternalError('An unexpected error occurred.')
}

/** The database could not be reached, did not answer in time, or is starting up, overloaded or shutting down. */
export class DatabaseUnavailable extends AppError {
  readonly status = 503
  readonly code = 'database_unavailable'
  readonly title = 'The service is temporarily unavailable'
  static readonly example = () => new DatabaseUnavailable('The database did not answer; please retry shortly.')
  override readonly headers = { 'Retry-After': '5' }
}

/** The human check service (Cloudflare Turnstile) failed or did not answer; nothing was sent or charged. */
export class HumanCheckUnavailable extends AppError {
  readonly status = 503
  readonly code = 'human_check_unavailable'
  readonly title = 'The service is temporarily unavailable'
  static readonly example = () => new HumanCheckUnavailable('The human check could not be completed; please try again.')
  override readonly headers = { 'Retry-After': '5' }
}

/** The store that holds sign-in codes and limits (Durable Objects) failed or did not answer. */
export class StorageUnavailable extends AppError {
  readonly status = 503
  readonly code = 'storage_unavailable'
  readonly title = 'The service is temporarily unavailable'
  static readonly example = () => new StorageUnavailable('Sign-in codes cannot be stored or read right now; please retry shortly.')
  override readonly headers = { 'Retry-After': '5' }
}
