import type { Profile, ReferralPage } from '../../services/profile'
import type { Session } from '../../services/sessions'
import type { WebContext } from '../../web/bindings'
import type { FieldErrors } from '../../web/form-errors'
import type { ProfilePageProps } from '../../web/pages/profile-page'
import { z } from '@hono/zod-openapi'
import { parseE164 } from '../../domain/phone-number'
import { clientKeyOf, signInClientOf } from '../../lib/client-key'
import { PhoneNumberTaken, SessionNotFound } from '../../lib/errors'
import { moveToPhoneNumber, deleteAccount as removeAccount } from '../../services/account'
import { decodeReferralCursor, editProfile, getProfile, listReferrals, REFERRALS_PAGE_SIZE } from '../../services/profile'
import { endOtherSessionsById, endSession, endSessionById, listSessions } from '../../services/sessions'
import { sendSignInCode } from '../../services/sign-in'
import { clearSessionCookies, readSessionCookies } from '../../web/cookies'
import { validationErrors } from '../../web/form-errors'
import { ProfilePage } from '../../web/pages/profile-page'
import { SignedOutPage } from '../../web/pages/signed-out-page'
import { PROFILE_PATH, SEND_CODE_PATH, SIGNED_OUT_PATH, withQuery } from '../../web/paths'
import { changePhoneNumber as changePhoneNumberRoute, deleteAccount as deleteAccountRoute, sendPhoneChangeCode as sendPhoneChangeCodeRoute, updateProfile as updateProfileRoute } from '../profile/profile.routes'
import { formField, formText, referralCodeFrom, refusal, turnstileTokenOf } from './form'
import { pageContext, render } from './web.middleware'

// Checked with the API's own request schema, so the web form accepts exactly what PATCH /users/profile/update/ does.
const updateProfileBody = updateProfileRoute.request.body.content['application/json'].schema
// Likewise the deletion's, so the code is checked as POST /users/profile/delete/ checks it.
const deleteAccountBody = deleteAccountRoute.request.body.content['application/json'].schema
const phoneChangeCodeBody = sendPhoneChangeCodeRoute.request.body.content['application/json'].schema
const phoneChangeBody = changePhoneNumberRoute.request.body.content['application/json'].schema

/** Confirmations after a redirect, named by its `done` query parameter (also their keys in the messages). */
const CONFIRMATIONS = [
  'saved',
  'activated',
  'sessionEnded',
  'otherSessionsEnded',
  'phoneChanged',
] as const
type Confirmation = typeof CONFIRMATIONS[number]

function renderProfile(c: WebContext, profile: Profile, sessions: Session[], options: {
  referrals?: ReferralPage
  values?: ProfilePageProps['values']
  errors?: FieldErrors
  status?: number
  deletion?: ProfilePageProps['deletion']
  phoneChange?: ProfilePageProps['phoneChange']
} = {}) {
  const { t, services } = c.var
  const shareUrl = new URL(withQuery(SEND_CODE_PATH, { ref: profile.referral_code }), c.req.url).href
  const done = CONFIRMATIONS.find(confirmation => confirmation === c.req.query('done'))
  const page = (
    <ProfilePage
      page={pageContext(c, PROFILE_PATH, true)}
      profile={profile}
      sessions={sessions}
      referrals={options.referrals ?? { referrals: profile.referrals, next_cursor: profile.referrals_next_cursor }}
      olderPage={Boolean(options.referrals)}
      shareUrl={shareUrl}
      points={{
        invitee: services.config.REFERRAL_INVITEE_POINTS,
        inviter: services.config.REFERRAL_INVITER_POINTS,
        pendingReason: services.config.REFERRAL_REWARD_ON === 'qualifying_event'
          ? 'qualifying_event'
          : 'review',
        pendingDays: services.config.REFERRAL_PENDING_DAYS,
      }}
      values={options.values}
      errors={options.errors}
      deletion={options.deletion}
      phoneChange={options.phoneChange}
      status={done && !options.errors
        ? (done === 'activated' && profile.pending_points
            ? t.activatedPending
            : t[done])
        : undefined}
    />
  )
  return render(c, page, options.status)
}

/** The profile; ?ref= pre-fills the inviter's code (from a share link), ?after= shows older referrals. */
export async function showProfile(c: WebContext) {
  const { services, userId, sessionId } = c.var
  const after = decodeReferralCursor(c.req.query('after') ?? '') ?? undefined
  const [profile, sessions, referrals] = await Promise.all([
    getProfile(services, userId),
    listSessions(services, userId, sessionId),
    after
      ? listReferrals(services, userId, REFERRALS_PAGE_SIZE, after)
      : undefined,
  ])
  const inviterCode = profile.inviter_referral_code
    ? undefined
    : referralCodeFrom(c.req.query('ref'))
  return renderProfile(c, profile, sessions, {
    referrals,
    values: { inviter_referral_code: inviterCode },
  })
}

/**
 * Saves name and email; an empty email removes the address. A field the form did not send stays as it is, as in
 * the API's partial update: an older page or a script that posts one field must not blank the others.
 */
export async function saveProfile(c: WebContext) {
  const form = await c.req.parseBody()
  const values = {
    first_name: formField(form, 'first_name'),
    last_name: formField(form, 'last_name'),
    email: formField(form, 'email'),
  }
  return submitChanges(c, values, 'first_name', {
    ...values,
    email: values.email?.trim() === ''
      ? null
      : values.email,
  }, 'saved')
}

/** Activates the inviter's referral code. */
export async function activateReferralCode(c: WebContext) {
  const form = await c.req.parseBody()
  const values = {
    inviter_referral_code: formText(form, 'inviter_referral_code'),
  }
  return submitChanges(c, values, 'inviter_referral_code', values, 'activated')
}

/** Applies a profile change, then shows the profile (redirecting, so a reload does not submit again), or the refusal. */
async function submitChanges(
  c: WebContext,
  values: NonNullable<ProfilePageProps['values']>,
  field: string,
  body: Record<string, string | null | undefined>,
  done: Confirmation,
) {
  const { services, userId, t } = c.var
  const refuse = (errors: FieldErrors, status: number) => renderRefusal(c, { values, errors, status })

  const parsed = updateProfileBody.safeParse(body)
  if (!parsed.success)
    return refuse(validationErrors(parsed.error, t, services.config.OTP_LENGTH), 400)
  try {
    await editProfile(services, userId, {
      firstName: parsed.data.first_name,
      lastName: parsed.data.last_name,
      email: parsed.data.email,
      inviterReferralCode: parsed.data.inviter_referral_code,
    }, clientKeyOf(c))
  }
  catch (error) {
    const problem = refusal(c, error, field)
    return refuse(problem.fields, problem.status)
  }
  return c.redirect(withQuery(PROFILE_PATH, { done }), 303)
}

/** The profile again, showing what the last form submitted and why it was refused. */
async function renderRefusal(c: WebContext, options: Parameters<typeof renderProfile>[3]) {
  const { services, userId, sessionId } = c.var
  const [profile, sessions] = await Promise.all([
    getProfile(services, userId),
    listSessions(services, userId, sessionId),
  ])
  return renderProfile(c, profile, sessions, options)
}

/**
 * Deleting the account, step 1: a code to the account's own number, as a sign-in code is sent (same limits, the
 * human check where it is on). The page then asks for it, carrying the code's verification id in the form.
 */
export async function sendDeletionCode(c: WebContext) {
  const { services, userId } = c.var
  const form = await c.req.parseBody()
  const { phone_number } = await getProfile(services, userId)
  try {
    const { verificationId } = await sendSignInCode(services, phone_number, signInClientOf(c, turnstileTokenOf(form)), 'phone_number', { locale: c.var.language })
    return renderRefusal(c, {
      deletion: { verificationId },
    })
  }
  catch (error) {
    const problem = refusal(c, error, 'delete_account')
    return renderRefusal(c, { errors: problem.fields, status: problem.status })
  }
}

/**
 * Deleting the account, step 2: with the code, as POST /users/profile/delete/ does it; then this browser's cookies
 * go too, and a page says the account is gone.
 */
export async function deleteAccount(c: WebContext) {
  const { services, userId, t } = c.var
  const form = await c.req.parseBody()
  const verificationId = formText(form, 'verification_id')
  const parsed = deleteAccountBody.safeParse({
    sms_code: formText(form, 'sms_code').trim(),
    verification_id: verificationId || undefined,
  })
  const deletion = { verificationId }
  if (!parsed.success) {
    return renderRefusal(c, {
      deletion,
      errors: validationErrors(parsed.error, t, services.config.OTP_LENGTH),
      status: 400,
    })
  }
  try {
    await removeAccount(services, userId, { code: parsed.data.sms_code, verificationId: parsed.data.verification_id }, clientKeyOf(c))
  }
  catch (error) {
    const problem = refusal(c, error, 'sms_code')
    return renderRefusal(c, { deletion, errors: problem.fields, status: problem.status })
  }
  clearSessionCookies(c)
  return c.redirect(withQuery(SIGNED_OUT_PATH, { deleted: '1' }), 303)
}

/** Moving to a new number, step 1: a code to the new number, as POST /users/profile/phone/ sends it. */
export async function sendPhoneChangeCode(c: WebContext) {
  const { services, t } = c.var
  const form = await c.req.parseBody()
  const values = {
    new_phone_number: formText(form, 'new_phone_number'),
  }
  const parsed = phoneChangeCodeBody.safeParse({ new_phone_number: values.new_phone_number })
  if (!parsed.success) {
    return renderRefusal(c, {
      values,
      errors: validationErrors(parsed.error, t, services.config.OTP_LENGTH),
      status: 400,
    })
  }
  try {
    const phoneNumber = parsed.data.new_phone_number
    const { verificationId } = await sendSignInCode(services, phoneNumber, signInClientOf(c, turnstileTokenOf(form)), 'new_phone_number', { locale: c.var.language })
    return renderRefusal(c, {
      phoneChange: { newPhoneNumber: phoneNumber, verificationId },
    })
  }
  catch (error) {
    const problem = refusal(c, error, 'new_phone_number')
    return renderRefusal(c, { values, errors: problem.fields, status: problem.status })
  }
}

/**
 * Moving to a new number, step 2: the code, as POST /users/profile/phone/verify/ takes it. This browser stays
 * signed in; every other session ends. A number another account holds is said next to the number, to retype.
 */
export async function changePhoneNumber(c: WebContext) {
  const { services, userId, sessionId, t } = c.var
  const form = await c.req.parseBody()
  const typed = formText(form, 'new_phone_number')
  const newPhoneNumber = parseE164(typed)
  // Only a changed hidden field gets here without a number: back to step 1.
  if (!newPhoneNumber) {
    return renderRefusal(c, {
      values: { new_phone_number: typed },
      errors: { new_phone_number: t.invalidPhone },
      status: 400,
    })
  }
  const phoneChange = {
    newPhoneNumber,
    verificationId: formText(form, 'verification_id'),
  }
  const parsed = phoneChangeBody.safeParse({
    new_phone_number: phoneChange.newPhoneNumber,
    sms_code: formText(form, 'sms_code').trim(),
    verification_id: phoneChange.verificationId || undefined,
  })
  if (!parsed.success) {
    return renderRefusal(c, {
      phoneChange,
      errors: validationErrors(parsed.error, t, services.config.OTP_LENGTH),
      status: 400,
    })
  }
  try {
    const { new_phone_number, sms_code, verification_id } = parsed.data
    await moveToPhoneNumber(services, userId, new_phone_number, { code: sms_code, verificationId: verification_id }, clientKeyOf(c), sessionId)
  }
  catch (error) {
    if (error instanceof PhoneNumberTaken) {
      return renderRefusal(c, {
        values: { new_phone_number: phoneChange.newPhoneNumber },
        errors: { new_phone_number: t.phoneNumberTaken },
        status: 409,
      })
    }
    const problem = refusal(c, error, 'sms_code')
    return renderRefusal(c, { phoneChange, errors: problem.fields, status: problem.status })
  }
  return c.redirect(withQuery(PROFILE_PATH, { done: 'phoneChanged' }), 303)
}

/**
 * Signs one of the account's other sessions out (this browser's own has the sign-out button). A session that is
 * not live any more, or not this user's, is left alone, and the answer is the same: it is not a session of theirs.
 */
export async function endOtherSession(c: WebContext) {
  const { services, userId } = c.var
  const id = z.uuid().safeParse(formText(await c.req.parseBody(), 'session_id'))
  if (id.success) {
    try {
      await endSessionById(services, userId, id.data)
    }
    catch (error) {
      if (!(error instanceof SessionNotFound))
        throw error
    }
  }
  return c.redirect(withQuery(PROFILE_PATH, { done: 'sessionEnded' }), 303)
}

/** Signs every session of the account out but this browser's, which stays signed in. */
export async function endAllOtherSessions(c: WebContext) {
  const { services, userId, sessionId } = c.var
  await endOtherSessionsById(services, userId, sessionId)
  return c.redirect(withQuery(PROFILE_PATH, { done: 'otherSessionsEnded' }), 303)
}

/**
 * Signs out this browser or, with `everywhere`, every session of the account: the refresh tokens are revoked on the
 * server, not only forgotten by the browser. Then a page says so, so no one wonders whether it worked.
 */
export async function signOut(c: WebContext) {
  const everywhere = formText(await c.req.parseBody(), 'everywhere') === '1'
  const { refresh } = readSessionCookies(c)
  if (refresh)
    await endSession(c.var.services, refresh, everywhere)
  clearSessionCookies(c)
  return c.redirect(withQuery(SIGNED_OUT_PATH, {
    everywhere: everywhere ? '1' : undefined,
  }), 303)
}

export function showSignedOut(c: WebContext) {
  const everywhere = c.req.query('everywhere') === '1'
  const deleted = c.req.query('deleted') === '1'
  const page = (
    <SignedOutPage
      page={pageContext(c, withQuery(SIGNED_OUT_PATH, {
        everywhere: everywhere ? '1' : undefined,
        deleted: deleted ? '1' : undefined,
      }))}
      everywhere={everywhere}
      deleted={deleted}
      accessTokenSeconds={c.var.services.config.ACCESS_TOKEN_TTL_SECONDS}
    />
  )
  return render(c, page)
}
