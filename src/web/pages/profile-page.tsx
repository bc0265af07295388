import type { E164 } from '../../domain/phone-number'
import type { Profile, ReferralPage } from '../../services/profile'
import type { Session } from '../../services/sessions'
import type { FieldErrors } from '../form-errors'
import type { PageContext } from '../layout'
import { CopyableValue, Field, HumanCheck, Status } from '../components'
import { formatPhoneNumber } from '../format'
import { Layout } from '../layout'
import { ACTIVATE_REFERRAL_PATH, DELETE_ACCOUNT_PATH, DELETION_CODE_PATH, END_OTHER_SESSIONS_PATH, END_SESSION_PATH, PHONE_CHANGE_CODE_PATH, PHONE_CHANGE_PATH, PROFILE_PATH, SIGN_OUT_PATH, withQuery } from '../paths'

export interface ProfilePageProps {
  page: PageContext
  profile: Profile
  /** The account's live sessions, this browser's marked current. */
  sessions: Session[]
  /** The referrals shown: the profile's newest, or an older page the reader moved to. */
  referrals: ReferralPage
  /** True when showing an older page, so the list offers the way back. */
  olderPage: boolean
  shareUrl: string
  /** The rewards, and why pending ones wait (the rules' qualifying event, or a review) and for how many days. */
  points: { invitee: number, inviter: number, pendingReason: 'qualifying_event' | 'review', pendingDays: number }
  /** What the edit forms show: the stored profile, or what was just submitted and refused. */
  values?: { first_name?: string, last_name?: string, email?: string, inviter_referral_code?: string, new_phone_number?: string }
  errors?: FieldErrors
  status?: string
  /** Deleting the account, once its code is sent: the code's verification id, for the form that takes the code. */
  deletion?: { verificationId: string }
  /** Moving to a new number, once its code is sent: the number and the code's verification id. */
  phoneChange?: { newPhoneNumber: E164, verificationId: string }
}

/**
 * Each fact appears once: the phone and points at the top, the name and email in the form that edits them. An
 * inviter's code waiting to be activated (from a share link, or just refused) comes first, since it is what the
 * person came for; otherwise the activation form waits in the side column.
 */
export function ProfilePage(props: ProfilePageProps) {
  const { page, profile, values = {}, errors = {}, status } = props
  const { t } = page
  const firstError = [
    'inviter_referral_code',
    'first_name',
    'last_name',
    'email',
    'new_phone_number',
    'sms_code',
    'delete_account',
  ].find(field => errors[field])
  const waitingCode = profile.inviter_referral_code
    ? undefined
    : values.inviter_referral_code
  const inviter = (
    <InviterSection
      {...props}
      waitingCode={waitingCode}
      focus={firstError === 'inviter_referral_code'}
    />
  )
  return (
    <Layout page={page} title={t.profileTitle} wide>
      <Status message={status} />
      {waitingCode && inviter}
      <div class="profile-columns">
        <div>
          <section aria-labelledby="account-heading">
            <h2 id="account-heading" class="visually-hidden">{t.accountHeading}</h2>
            <dl class="facts">
              <dt>{t.pointsTerm}</dt>
              <dd class="points">{profile.points}</dd>
              {profile.pending_points
                ? (
                    <>
                      <dt>{t.pendingTerm}</dt>
                      <dd>
                        <span class="points">{profile.pending_points}</span>
                        <span class="muted">
                          {' '}
                          {props.points.pendingReason === 'qualifying_event'
                            ? t.pendingForEvent(profile.pending_points, props.points.pendingDays)
                            : t.pendingForReview(profile.pending_points)}
                        </span>
                      </dd>
                    </>
                  )
                : null}
              <dt>{t.phoneTerm}</dt>
              <dd>{formatPhoneNumber(profile.phone_number)}</dd>
            </dl>
          </section>
          <InviteSection {...props} />
          <ReferralsSection {...props} />
        </div>
        <div>
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
          {!waitingCode && inviter}
          <PhoneChangeSection {...props} focus={firstError === 'new_phone_number' || (Boolean(props.phoneChange) && (firstError === 'sms_code' || !firstError))} />
          <SessionsSection {...props} />
          <DeleteAccountSection {...props} focus={Boolean(props.deletion) && (firstError === 'sms_code' || !firstError)} />
        </div>
      </div>
    </Layout>
  )
}

/** Moving to a new number: the number, then the code texted to it. Only one code field is ever shown at a time. */
function PhoneChangeSection({ page, phoneChange, values = {}, errors = {}, focus }: ProfilePageProps & { focus: boolean }) {
  const { t } = page
  return (
    <section aria-labelledby="phone-heading">
      <h2 id="phone-heading">{t.phoneChangeHeading}</h2>
      {phoneChange
        ? (
            <form method="post" action={PHONE_CHANGE_PATH} novalidate>
              <input type="hidden" name="new_phone_number" value={phoneChange.newPhoneNumber} />
              <input type="hidden" name="verification_id" value={phoneChange.verificationId} />
              <Field
                id="new-phone-code"
                name="sms_code"
                label={t.codeLabel}
                hint={t.phoneChangeCodeHint(formatPhoneNumber(phoneChange.newPhoneNumber))}
                errors={errors}
                focus={focus}
                autocomplete="one-time-code"
                inputmode="numeric"
                maxlength={8}
              />
              <button type="submit">{t.phoneChangeButton}</button>
            </form>
          )
        : (
            <form method="post" action={PHONE_CHANGE_CODE_PATH} novalidate>
              <p>{t.phoneChangeIntro}</p>
              <Field
                id="new-phone"
                name="new_phone_number"
                label={t.newPhoneLabel}
                hint={t.phoneHint}
                errors={errors}
                focus={focus}
                value={values.new_phone_number}
                type="tel"
                autocomplete="tel"
                maxlength={32}
              />
              <HumanCheck page={page} />
              <button type="submit" class="button-secondary">{t.phoneChangeSendButton}</button>
            </form>
          )}
    </section>
  )
}

/**
 * Deleting the account takes a code sent to its number, as the API does: a browser left signed in is not enough.
 * First a button that sends it, then the field that takes it.
 */
function DeleteAccountSection({ page, deletion, errors = {}, focus }: ProfilePageProps & { focus: boolean }) {
  const { t } = page
  return (
    <section aria-labelledby="delete-heading">
      <h2 id="delete-heading">{t.deleteHeading}</h2>
      <p>{t.deleteIntro}</p>
      {deletion
        ? (
            <form method="post" action={DELETE_ACCOUNT_PATH} novalidate>
              <input type="hidden" name="verification_id" value={deletion.verificationId} />
              <Field
                id="delete-code"
                name="sms_code"
                label={t.deleteCodeLabel}
                hint={t.deleteCodeHint}
                errors={errors}
                focus={focus}
                autocomplete="one-time-code"
                inputmode="numeric"
                maxlength={8}
              />
              <button type="submit" class="button-danger">{t.deleteButton}</button>
            </form>
          )
        : (
            <form method="post" action={DELETION_CODE_PATH}>
              {errors.delete_account && <p id="delete-account-error" class="field-error">{errors.delete_account}</p>}
              <HumanCheck page={page} />
              <button type="submit" class="button-secondary">{t.deleteSendCodeButton}</button>
            </form>
          )}
    </section>
  )
}

/** Where the account is signed in: this browser first, each other session with its own sign-out button. */
function SessionsSection({ page, sessions }: ProfilePageProps) {
  const { t, language } = page
  const dates = new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' })
  const ordered = [...sessions].sort((a, b) => Number(b.current) - Number(a.current))
  return (
    <section aria-labelledby="sessions-heading">
      <h2 id="sessions-heading">{t.sessionsHeading}</h2>
      <ul class="sessions">
        {ordered.map(session => (
          <li>
            <span class="session-device">{session.device ?? t.unknownDevice}</span>
            {' '}
            <span class="muted">
              {session.current
                ? t.thisDevice
                : t.sessionLastUsed(`${dates.format(new Date(session.last_used_at))} UTC`)}
            </span>
            {!session.current && (
              <form method="post" action={END_SESSION_PATH}>
                <input type="hidden" name="session_id" value={session.id} />
                <button type="submit" class="button-secondary">{t.endSessionButton}</button>
              </form>
            )}
          </li>
        ))}
      </ul>
      {ordered.some(session => !session.current) && (
        <form method="post" action={END_OTHER_SESSIONS_PATH}>
          <button type="submit" class="button-secondary">{t.endOtherSessionsButton}</button>
        </form>
      )}
      <p>{t.signOutEverywhereIntro}</p>
      <form method="post" action={SIGN_OUT_PATH}>
        <button type="submit" name="everywhere" value="1" class="button-secondary">{t.signOutEverywhereButton}</button>
      </form>
    </section>
  )
}

/** The inviter's code: activated already, or the form to activate it, set apart when a code is waiting. */
function InviterSection({ page, profile, points, errors, waitingCode, focus }: ProfilePageProps & { waitingCode?: string, focus: boolean }) {
  const { t } = page
  return (
    <section aria-labelledby="inviter-heading" class={waitingCode ? 'invitation' : undefined}>
      <h2 id="inviter-heading">{t.inviterHeading}</h2>
      {profile.inviter_referral_code
        ? <p>{t.inviterActivated(profile.inviter_referral_code)}</p>
        : (
            <form method="post" action={ACTIVATE_REFERRAL_PATH} novalidate>
              <p>
                {waitingCode
                  ? t.invitationWaiting(waitingCode, points.invitee)
                  : t.inviterIntro(points.invitee)}
              </p>
              <Field
                id="inviter-referral-code"
                name="inviter_referral_code"
                label={t.inviterLabel}
                hint={t.inviterHint}
                errors={errors}
                focus={focus}
                value={waitingCode}
                autocomplete="off"
                autocapitalize="characters"
                spellcheck={false}
                maxlength={6}
              />
              <button type="submit">{t.activateButton}</button>
            </form>
          )}
    </section>
  )
}

function InviteSection({ page, profile, points, shareUrl }: ProfilePageProps) {
  const { t } = page
  return (
    <section aria-labelledby="invite-heading">
      <h2 id="invite-heading">{t.inviteHeading}</h2>
      <p>{t.inviteIntro(points.invitee, points.inviter)}</p>
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
        value={shareUrl}
        copyText={t.copy}
        copyLabel={t.copyButton(t.shareLinkLabel.toLowerCase())}
        copiedText={t.copied}
      />
    </section>
  )
}

function ReferralsSection({ page, profile, referrals, olderPage }: ProfilePageProps) {
  const { t, language } = page
  const dates = new Intl.DateTimeFormat(language, { dateStyle: 'long', timeZone: 'UTC' })
  return (
    <section aria-labelledby="referrals-heading">
      <h2 id="referrals-heading">{t.referralsHeading(profile.referrals_count)}</h2>
      {referrals.referrals.length
        ? (
            <ul class="referrals">
              {referrals.referrals.map((referral) => {
                const name = `${referral.first_name} ${referral.last_name}`.trim()
                const joined = t.referralJoined(dates.format(new Date(referral.joined_at)))
                return (
                  <li>
                    <span class="referral-name">{name || referral.phone_number}</span>
                    {' '}
                    <span class="muted">
                      {name
                        ? `${referral.phone_number}, ${joined}`
                        : joined}
                      {referral.state && referral.state !== 'paid' && `, ${t.referralState[referral.state]}`}
                    </span>
                  </li>
                )
              })}
            </ul>
          )
        : <p class="muted">{t.noReferrals}</p>}
      <p class="pager">
        {olderPage && <a href={PROFILE_PATH}>{t.newestReferrals}</a>}
        {referrals.next_cursor && <a href={withQuery(PROFILE_PATH, { after: referrals.next_cursor })}>{t.olderReferrals}</a>}
      </p>
    </section>
  )
}
