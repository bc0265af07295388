import type { z } from 'zod'
import type { Messages } from './i18n'
import { AppError } from '../lib/errors'

/** Field name → what to tell the person about it, in their language. */
export type FieldErrors = Record<string, string>

/** What a refused form shows: the messages, the status to answer with, and for a 429 when to try again. */
export interface FormProblem {
  status: number
  fields: FieldErrors
  retryAfter?: string
}

/** The message for a field that failed the API's own request schema. */
function invalidValue(field: string, t: Messages, codeLength: number): string {
  switch (field) {
    case 'phone_number':
    case 'new_phone_number': return t.invalidPhone
    case 'sms_code': return t.invalidCode(codeLength)
    case 'first_name':
    case 'last_name': return t.invalidName
    case 'email': return t.invalidEmail
    case 'inviter_referral_code': return t.invalidReferralCode
    default: return t.invalidField
  }
}

/** The first problem of each field, from a schema check of the submitted form. */
export function validationErrors(error: z.ZodError, t: Messages, codeLength: number): FieldErrors {
  const fields: FieldErrors = {}
  for (const issue of error.issues) {
    const field = String(issue.path[0] ?? '')
    fields[field] ??= invalidValue(field, t, codeLength)
  }
  return fields
}

/** Seconds from a Retry-After header (the services give seconds); at least 1, so the message never says 0. */
function retryAfterSeconds(error: AppError): number {
  const seconds = Number.parseInt(error.headers?.['Retry-After'] ?? '', 10)
  return Number.isFinite(seconds) && seconds > 0
    ? seconds
    : 1
}

/** A provider's failure that the same form, sent again, can get past: shown on the form rather than an error page. */
const RETRYABLE_UPSTREAM = new Set(['sms_delivery_failed', 'code_check_failed'])

/** Messages for what the API refuses, by its stable error code. */
function refusalMessage(error: AppError, t: Messages): string | undefined {
  switch (error.code) {
    case 'invalid_sms_code': {
      const left = error.extensions.attempts_left
      return left
        ? `${t.wrongCode} ${t.attemptsLeft(left)}`
        : t.wrongCode
    }
    case 'sms_code_attempts_exceeded': return t.tooManyCodeAttempts
    case 'resend_cooldown': return t.resendIn(retryAfterSeconds(error))
    case 'sms_delivery_failed': return t.smsFailed
    case 'code_check_failed': return t.codeCheckFailed
    case 'no_telegram_account': return t.noTelegramAccount
    case 'phone_number_not_textable': return t.notTextable
    case 'human_check_failed': return t.humanCheckFailed
    case 'referral_code_not_found': return t.referralCodeNotFound
    case 'own_referral_code': return t.ownReferralCode
    case 'referral_already_activated': return t.referralAlreadyActivated
    case 'referral_cycle': return t.referralCycle
    case 'referral_flagged': return t.referralFlagged
  }
  if (error.status === 429)
    return t.tooManyRequests(retryAfterSeconds(error))
  return undefined
}

/**
 * The form-shaped view of an error the services threw. A refusal the API names by its code is shown next to
 * `field`, the control the form is about (on the code page, a cooldown goes next to "send again"); a validation
 * problem next to each field it names. Null for what no form input can fix (a missing session, a failure on our
 * side): those go to the error pages.
 */
export function formProblem(error: unknown, t: Messages, field: string, codeLength: number): FormProblem | null {
  if (!(error instanceof AppError) || error.status === 401 || (error.status >= 500 && !RETRYABLE_UPSTREAM.has(error.code)))
    return null
  const fields: FieldErrors = {}
  const message = refusalMessage(error, t)
  if (message) {
    fields[field] = message
  }
  else {
    for (const { path } of error.errors ?? [])
      fields[path] ??= invalidValue(path, t, codeLength)
    if (!Object.keys(fields).length)
      fields[field] = t.invalidField
  }
  return {
    status: error.status,
    fields,
    retryAfter: error.status === 429
      ? String(retryAfterSeconds(error))
      : undefined,
  }
}
