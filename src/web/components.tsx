import type { JSX } from 'hono/jsx/jsx-runtime'
import type { FieldErrors } from './form-errors'
import type { PageContext } from './layout'
import { TURNSTILE_SCRIPT } from '../integrations/turnstile/turnstile-verifier'

type InputAttributes = JSX.IntrinsicElements['input']

export interface FieldProps extends Pick<InputAttributes, 'value' | 'type' | 'autocomplete' | 'inputmode' | 'required' | 'maxlength' | 'pattern' | 'spellcheck' | 'autocapitalize'> {
  id: string
  name: string
  label: string
  hint?: string
  errors?: FieldErrors
  /** Receives focus when the page loads: the first field with an error, or the form's first field. */
  focus?: boolean
}

/**
 * A labelled input with its hint and, when the last submission was refused, the reason right next to it
 * (announced with the field by screen readers through aria-describedby).
 */
export function Field({ id, label, hint, errors, focus, name, ...input }: FieldProps) {
  const error = errors?.[name]
  const hintId = hint
    ? `${id}-hint`
    : undefined
  const errorId = error
    ? `${id}-error`
    : undefined
  return (
    <div class={error ? 'field field-invalid' : 'field'}>
      <label for={id}>{label}</label>
      {hint && <p id={hintId} class="hint">{hint}</p>}
      {error && <p id={errorId} class="field-error">{error}</p>}
      <input
        id={id}
        name={name}
        {...input}
        autofocus={focus || undefined}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={[errorId, hintId].filter(Boolean).join(' ') || undefined}
      />
    </div>
  )
}

/** A confirmation after a redirect ("Saved"), announced politely. */
export function Status({ message }: { message?: string }) {
  return message
    ? <p class="status" role="status">{message}</p>
    : null
}

/**
 * A read-only value with a copy button. The button appears only when the script runs (it needs the Clipboard API);
 * without script the value is still there to select.
 */
export function CopyableValue({ id, label, value, copyText, copyLabel, copiedText }: {
  id: string
  label: string
  value: string
  /** The button's short visible text ("Copy") and its full accessible name ("Copy your referral code"). */
  copyText: string
  copyLabel: string
  copiedText: string
}) {
  return (
    <div class="field copyable">
      <label for={id}>{label}</label>
      <div class="copy-row">
        <input id={id} type="text" value={value} readonly spellcheck={false} />
        <button type="button" class="button-secondary" data-copy={id} data-copied={copiedText} aria-label={copyLabel} hidden>
          {copyText}
        </button>
      </div>
      <p class="copy-status" id={`${id}-status`} role="status"></p>
    </div>
  )
}

/**
 * Cloudflare Turnstile's widget, where the deployment turns it on: its script puts the passed challenge's token into
 * the enclosing form as `cf-turnstile-response`. The page's CSP admits its origin only then.
 */
export function HumanCheck({ page }: { page: PageContext }) {
  if (!page.humanCheckSiteKey)
    return null
  return (
    <>
      <div class="cf-turnstile" data-sitekey={page.humanCheckSiteKey} data-language={page.language}></div>
      <script src={TURNSTILE_SCRIPT} async defer></script>
    </>
  )
}
