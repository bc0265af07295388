// Typed errors thrown by domain and storage code. `onError` (lib/problem.ts) is the one place that turns them into
// RFC 9457 problem details, so the wire format lives in one module and the rules never build responses.

export interface FieldError {
  path: string
  message: string
}

export abstract class AppError extends Error {
  abstract readonly status: 400 | 401 | 404 | 409 | 413 | 415 | 422 | 429 | 500 | 502 | 503
  /** Stable machine-readable identifier; also the last segment of the problem `type` URI. */
  abstract readonly code: string
  abstract readonly title: string
  readonly errors?: FieldError[]
  readonly headers?: Record<string, string>
  /** When the client may try again; also sent as `Retry-After`. */
  readonly retryAfterSeconds?: number

  constructor(detail: string, options?: { errors?: FieldError[], cause?: unknown }) {
    super(detail, { cause: options?.cause })
    this.errors = options?.errors
  }
}

/** The request body or query failed schema validation. */
export class ValidationFailed extends AppError {
  readonly status = 400
  readonly code = 'validation_failed'
  readonly title = 'Your request is not valid'
}

/**
 * CF-Connecting-IP, which Cloudflare sets on every request it forwards, is missing or not one IP address, so the
 * request cannot be counted under its client's quotas.
 */
export class ClientAddressInvalid extends AppError {
  readonly status = 400
  readonly code = 'client_address_invalid'
  readonly title = 'The request\'s client address is missing or not valid'
}

/** The body could not be parsed as JSON. */
export class MalformedBody extends AppError {
  readonly status = 400
  readonly code = 'malformed_body'
  readonly title = 'The request body is not valid JSON'
}

/** The body is not JSON where JSON is required. */
export class UnsupportedMediaType extends AppError {
  readonly status = 415
  readonly code = 'unsupported_media_type'
  readonly title = 'Send the body as application/json'
}

/** The body is larger than the service accepts. */
export class PayloadTooLarge extends AppError {
  readonly status = 413
  readonly code = 'payload_too_large'
  readonly title = 'The request body is too large'
}

/** The sign-in code is wrong, expired, already used or was never sent. */
export class InvalidSignInCode extends AppError {
  readonly status = 400
  readonly code = 'invalid_sms_code'
  readonly title = 'The code is wrong or has expired'
}

/** Every guess this code allowed has been used; it is dead and only a new code helps. */
export class SignInCodeAttemptsExceeded extends AppError {
  readonly status = 400
  readonly code = 'sms_code_attempts_exceeded'
  readonly title = 'Too many wrong codes'
}

/** The number is in a country the service does not send SMS to. */
export class SmsCountryNotAllowed extends AppError {
  readonly status = 422
  readonly code = 'sms_country_not_allowed'
  readonly title = 'We do not send SMS to this country'
}

abstract class TooManyRequests extends AppError {
  readonly status = 429
  override readonly headers: Record<string, string>
  override readonly retryAfterSeconds: number

  constructor(detail: string, retryAfterSeconds: number) {
    super(detail)
    this.retryAfterSeconds = retryAfterSeconds
    this.headers = {
      'Retry-After': String(retryAfterSeconds),
    }
  }
}

/** A code was sent to this number moments ago; the next one may follow after the cooldown. */
export class ResendCooldown extends TooManyRequests {
  readonly code = 'resend_cooldown'
  readonly title = 'Wait before requesting another code'
}

/** A quota (per number, per client address, per country) is used up for now. */
export class RateLimited extends TooManyRequests {
  readonly code = 'rate_limited'
  readonly title = 'Too many requests'
}

/** No valid access token accompanied a request that needs one. */
export class Unauthenticated extends AppError {
  readonly status = 401
  readonly code = 'unauthenticated'
  readonly title = 'Authentication required'
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
  override readonly headers = { 'WWW-Authenticate': 'Bearer realm="phone-auth", error="invalid_token"' }
}

/** The access token was valid but its user no longer exists. */
export class UserNotFound extends AppError {
  readonly status = 401
  readonly code = 'user_not_found'
  readonly title = 'The account no longer exists'
  override readonly headers = { 'WWW-Authenticate': 'Bearer realm="phone-auth", error="invalid_token"' }
}

/** No user has the referral code that was given. */
export class ReferralCodeNotFound extends AppError {
  readonly status = 404
  readonly code = 'referral_code_not_found'
  readonly title = 'No one has this referral code'
}

/** A user tried to activate their own referral code. */
export class OwnReferralCode extends AppError {
  readonly status = 422
  readonly code = 'own_referral_code'
  readonly title = 'You cannot use your own referral code'
}

/** The user has already activated an inviter's code; it can be done once. */
export class ReferralAlreadyActivated extends AppError {
  readonly status = 409
  readonly code = 'referral_already_activated'
  readonly title = 'A referral code is already activated'
}

/** Activating the code would make the inviter an invitee of their own invitee (directly or further down). */
export class ReferralCycle extends AppError {
  readonly status = 409
  readonly code = 'referral_cycle'
  readonly title = 'You cannot use the code of someone you invited'
}

/** The SMS provider refused or did not answer in time; nothing was charged, the client may retry at once. */
export class SmsDeliveryFailed extends AppError {
  readonly status = 502
  readonly code = 'sms_delivery_failed'
  readonly title = 'The SMS could not be sent'
}

/** A route that does not exist. */
export class RouteNotFound extends AppError {
  readonly status = 404
  readonly code = 'not_found'
  readonly title = 'Not found'
}

/** An unexpected failure on our side; details go to the log, never to the client. */
export class InternalError extends AppError {
  readonly status = 500
  readonly code = 'internal_error'
  readonly title = 'Something went wrong on our side'
}

/** The database could not be reached, did not answer in time, or is starting up, overloaded or shutting down. */
export class DatabaseUnavailable extends AppError {
  readonly status = 503
  readonly code = 'database_unavailable'
  readonly title = 'The service is temporarily unavailable'
  override readonly headers = { 'Retry-After': '5' }
}

/** The store that holds sign-in codes (Workers KV) failed or did not answer. */
export class StorageUnavailable extends AppError {
  readonly status = 503
  readonly code = 'storage_unavailable'
  readonly title = 'The service is temporarily unavailable'
  override readonly headers = { 'Retry-After': '5' }
}
