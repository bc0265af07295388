import type { FieldErrors } from '../form-errors'
import type { PageContext } from '../layout'
import { Field, HumanCheck, Status } from '../components'
import { Layout } from '../layout'
import { RESEND_CODE_PATH, SEND_CODE_PATH, VERIFY_CODE_PATH } from '../paths'

export interface VerifyCodePageProps {
  page: PageContext
  /** The number the code went to, formatted for reading. */
  phone: string
  codeLength: number
  /** sms_code: about the code; resend: about sending another one (e.g. the cooldown). */
  errors?: FieldErrors
  resent?: boolean
}

export function VerifyCodePage({ page, phone, codeLength, errors, resent }: VerifyCodePageProps) {
  const { t } = page
  const resendError = errors?.resend
  return (
    <Layout page={page} title={t.verifyTitle}>
      <Status message={resent ? t.resent : undefined} />
      <p>{t.codeSentTo(phone)}</p>
      <form method="post" action={VERIFY_CODE_PATH} novalidate>
        <Field
          id="sms-code"
          name="sms_code"
          label={t.codeLabel}
          hint={t.codeHint(codeLength)}
          errors={errors}
          focus={!resendError}
          type="text"
          autocomplete="one-time-code"
          inputmode="numeric"
          required
          maxlength={codeLength}
          pattern={`\\d{${codeLength}}`}
        />
        <button type="submit">{t.signInButton}</button>
      </form>
      <script src="/static/web/web-otp.js" defer></script>
      <form method="post" action={RESEND_CODE_PATH} class="secondary-actions">
        <HumanCheck page={page} />
        {resendError && <p id="resend-error" class="field-error">{resendError}</p>}
        <button
          type="submit"
          class="button-secondary"
          autofocus={resendError ? true : undefined}
          aria-describedby={resendError ? 'resend-error' : undefined}
        >
          {t.resendButton}
        </button>
        <a href={SEND_CODE_PATH}>{t.changeNumber}</a>
      </form>
    </Layout>
  )
}
