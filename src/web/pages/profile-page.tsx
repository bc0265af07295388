import type { Profile, ReferralPage } from '../../services/profile'
import type { FieldErrors } from '../form-errors'
import type { PageContext } from '../layout'
import { CopyableValue, Field, Status } from '../components'
import { formatPhoneNumber } from '../format'
import { Layout } from '../layout'
import { ACTIVATE_REFERRAL_PATH, PROFILE_PATH, withQuery } from '../paths'

export interface ProfilePageProps {
  page: PageContext
  profile: Profile
  /** The referrals shown: the profile's newest, or an older page the reader moved to. */
  referrals: ReferralPage
  /** True when showing an older page, so the list offers the way back. */
  olderPage: boolean
  shareUrl: string
  points: { invitee: number, inviter: number }
  /** What the edit forms show: the stored profile, or what was just submitted and refused. */
  values?: { first_name?: string, last_name?: string, email?: string, inviter_referral_code?: string }
  errors?: FieldErrors
  status?: string
}

export function ProfilePage(props: ProfilePageProps) {
  const { page, profile, referrals, values = {}, errors = {}, status } = props
  const { t, language } = page
  const dates = new Intl.DateTimeFormat(language, { dateStyle: 'long', timeZone: 'UTC' })
  const fullName = `${profile.first_name} ${profile.last_name}`.trim()
  const firstError = [
    'inviter_referral_code',
    'first_name',
    'last_name',
    'email',
  ].find(field => errors[field])
  return (
    <Layout page={page} title={t.profileTitle}>
      <Status message={status} />

      <section aria-labelledby="account-heading">
        <h2 id="account-heading">{t.accountHeading}</h2>
        <dl class="facts">
          <dt>{t.phoneTerm}</dt>
          <dd>{formatPhoneNumber(profile.phone_number)}</dd>
          <dt>{t.nameTerm}</dt>
          <dd>{fullName || <span class="muted">{t.notSet}</span>}</dd>
          <dt>{t.emailTerm}</dt>
          <dd>{profile.email ?? <span class="muted">{t.notSet}</span>}</dd>
          <dt>{t.pointsTerm}</dt>
          <dd class="points">{profile.points}</dd>
        </dl>
      </section>

      <section aria-labelledby="invite-heading">
        <h2 id="invite-heading">{t.inviteHeading}</h2>
        <p>{t.inviteIntro(props.points.invitee, props.points.inviter)}</p>
        <CopyableValue
          id="referral-code"
          label={t.yourCodeLabel}
          value={profile.referral_code}
          copyText={t.copy}
          copyLabel={t.copyButton(t.yourCodeLabel.toLowerCase())}
          copiedText={t.copied}
        />
        <CopyableValue
          id="share-link"
          label={t.shareLinkLabel}
          value={props.shareUrl}
          copyText={t.copy}
          copyLabel={t.copyButton(t.shareLinkLabel.toLowerCase())}
          copiedText={t.copied}
        />
      </section>

      <section aria-labelledby="inviter-heading">
        <h2 id="inviter-heading">{t.inviterHeading}</h2>
        {profile.inviter_referral_code
          ? <p>{t.inviterActivated(profile.inviter_referral_code)}</p>
          : (
              <form method="post" action={ACTIVATE_REFERRAL_PATH} novalidate>
                <Field
                  id="inviter-referral-code"
                  name="inviter_referral_code"
                  label={t.inviterLabel}
                  hint={t.inviterHint(props.points.invitee)}
                  errors={errors}
                  focus={firstError === 'inviter_referral_code'}
                  value={values.inviter_referral_code}
                  autocomplete="off"
                  autocapitalize="characters"
                  spellcheck={false}
                  maxlength={6}
                />
                <button type="submit">{t.activateButton}</button>
              </form>
            )}
      </section>

      <section aria-labelledby="referrals-heading">
        <h2 id="referrals-heading">{t.referralsHeading(profile.referrals_count)}</h2>
        {referrals.referrals.length
          ? (
              <ul class="referrals">
                {referrals.referrals.map(referral => (
                  <li>
                    <span class="referral-name">{`${referral.first_name} ${referral.last_name}`.trim() || referral.phone_number}</span>
                    {' '}
                    <span class="muted">
                      {referral.phone_number}
                      {', '}
                      {t.referralJoined(dates.format(new Date(referral.joined_at)))}
                    </span>
                  </li>
                ))}
              </ul>
            )
          : <p class="muted">{t.noReferrals}</p>}
        <p class="pager">
          {props.olderPage && <a href={PROFILE_PATH}>{t.newestReferrals}</a>}
          {referrals.next_cursor && <a href={withQuery(PROFILE_PATH, { after: referrals.next_cursor })}>{t.olderReferrals}</a>}
        </p>
      </section>

      <section aria-labelledby="edit-heading">
        <h2 id="edit-heading">{t.editHeading}</h2>
        <form method="post" action={PROFILE_PATH} novalidate>
          <Field
            id="first-name"
            name="first_name"
            label={t.firstNameLabel}
            errors={errors}
            focus={firstError === 'first_name'}
            value={values.first_name ?? profile.first_name}
            autocomplete="given-name"
            maxlength={150}
          />
          <Field
            id="last-name"
            name="last_name"
            label={t.lastNameLabel}
            errors={errors}
            focus={firstError === 'last_name'}
            value={values.last_name ?? profile.last_name}
            autocomplete="family-name"
            maxlength={150}
          />
          <Field
            id="email"
            name="email"
            label={t.emailLabel}
            hint={t.emailHint}
            errors={errors}
            focus={firstError === 'email'}
            value={values.email ?? profile.email ?? ''}
            type="email"
            autocomplete="email"
            maxlength={254}
          />
          <button type="submit">{t.saveButton}</button>
        </form>
      </section>
    </Layout>
  )
}
