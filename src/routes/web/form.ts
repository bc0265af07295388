import type { WebContext } from '../../web/bindings'
import type { FormProblem } from '../../web/form-errors'
import { REFERRAL_CODE_PATTERN } from '../../domain/referral-code'
import { formProblem } from '../../web/form-errors'

/** A text field of a parsed form body; undefined when the form did not send it (or sent a file). */
export function formField(form: Record<string, unknown>, name: string): string | undefined {
  const value = form[name]
  return typeof value === 'string'
    ? value
    : undefined
}

/** A text field of a parsed form body; '' when it is missing or a file. */
export function formText(form: Record<string, unknown>, name: string): string {
  return formField(form, name) ?? ''
}

/**
 * What the form shows for an error the services threw, with Retry-After passed on for a 429. Anything no form input
 * can fix is thrown on, to the app's error handler (which logs it) and the error pages.
 */
export function refusal(c: WebContext, error: unknown, field: string): FormProblem {
  const problem = formProblem(error, c.var.t, field, c.var.services.config.OTP_LENGTH)
  if (!problem)
    throw error
  if (problem.retryAfter)
    c.header('Retry-After', problem.retryAfter)
  return problem
}

/** An inviter's code from a share link, if it looks like one (it is checked for real when activated). */
export function referralCodeFrom(value: string | undefined): string | undefined {
  const code = value?.trim().toUpperCase()
  return code && REFERRAL_CODE_PATTERN.test(code)
    ? code
    : undefined
}

/** The Turnstile widget's token, posted under the name the widget gives its hidden field. */
export function turnstileTokenOf(form: Record<string, unknown>): string | undefined {
  return formText(form, 'cf-turnstile-response') || undefined
}
