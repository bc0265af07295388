import type { FieldErrors } from '../form-errors'
import type { PageContext } from '../layout'
import { Field, HumanCheck } from '../components'
import { Layout } from '../layout'
import { SEND_CODE_PATH } from '../paths'

export interface SendCodePageProps {
  page: PageContext
  phone?: string
  /** The inviter's code from a share link, carried through sign-in to the profile page. */
  referralCode?: string
  errors?: FieldErrors
}

export function SendCodePage({ page, phone, referralCode, errors }: SendCodePageProps) {
  const { t } = page
  return (
    <Layout page={page} title={t.sendCodeTitle}>
      <p>{t.sendCodeIntro}</p>
      {referralCode && <p class="note">{t.invitedBy(referralCode)}</p>}
      <form method="post" action={SEND_CODE_PATH} novalidate>
        {referralCode && <input type="hidden" name="ref" value={referralCode} />}
        <Field
          id="phone-number"
          name="phone_number"
          label={t.phoneLabel}
          hint={t.phoneHint}
          errors={errors}
          focus
          value={phone}
          type="tel"
          autocomplete="tel"
          inputmode="tel"
          required
          maxlength={32}
        />
        <HumanCheck page={page} />
        <button type="submit">{t.sendCodeButton}</button>
      </form>
    </Layout>
  )
}
