import { describe, expect, it } from 'vitest'
import { ageRotations, api, database, lastCodeSentTo, randomAddress, signIn, uniquePhone, withSettings } from './helpers'
import { inputWithId, textOf, WebClient, webSignIn } from './web-helpers'

const PROFILE = '/users/web/profile/'
const ACTIVATE = '/users/web/profile/referral/'
const SIGN_OUT = '/users/web/auth/logout/'
const SIGNED_OUT = '/users/web/auth/signed_out/'
const END_SESSION = '/users/web/profile/sessions/end/'
const END_OTHER_SESSIONS = '/users/web/profile/sessions/end_others/'
const DELETION_CODE = '/users/web/profile/delete/code/'
const DELETE_ACCOUNT = '/users/web/profile/delete/'
const PHONE_CHANGE_CODE = '/users/web/profile/phone/'
const PHONE_CHANGE = '/users/web/profile/phone/verify/'

describe('web profile page', () => {
  it('shows the phone, referral code with a share link, points, and the forms', async () => {
    const phone = uniquePhone()
    const client = await webSignIn(phone)
    const page = await client.get(PROFILE)
    expect(page.status).toBe(200)
    const { body: profile } = await api('GET', '/users/profile/', {
      token: client.cookie('access_token'),
    })
    expect(page.html).toContain(`${phone.slice(0, 2)} ${phone.slice(2, 5)}`)
    expect(inputWithId(page.html, 'referral-code')).toContain(`value="${profile.referral_code}"`)
    expect(inputWithId(page.html, 'share-link')).toContain(`value="https://phone-auth.test/users/web/auth/send_sms/?ref=${profile.referral_code}"`)
    expect(page.html).toContain('<dd class="points">0</dd>')
    expect(page.html).toContain(`action="${ACTIVATE}"`)
    expect(page.html).toContain(`action="${SIGN_OUT}"`)
    expect(textOf(page.html, 'referrals-heading')).toBe('Your referrals (0)')
  })

  it('sends visitors without a session to sign in', async () => {
    const page = await new WebClient().get(PROFILE)
    expect(page.status).toBe(303)
    expect(page.location).toBe('/users/web/auth/send_sms/')
  })

  it('renews an expired access token with the refresh token, rotating it', async () => {
    const client = await webSignIn(uniquePhone())
    const oldRefresh = client.cookie('refresh_token')!
    client.cookies.set('access_token', { value: 'expired.or.forged', path: '/users/web/' })
    const page = await client.get(PROFILE)
    expect(page.status).toBe(200)
    expect(client.cookie('refresh_token')).not.toBe(oldRefresh)
    const me = await api('GET', '/users/profile/', {
      token: client.cookie('access_token'),
    })
    expect(me.status).toBe(200)
    await ageRotations(me.body.id)
    expect((await api('POST', '/users/auth/refresh/', {
      body: { refresh: oldRefresh },
    })).status).toBe(401)
  })

  it('signs out when the refresh token no longer works either', async () => {
    const client = await webSignIn(uniquePhone())
    client.cookies.delete('access_token')
    await api('POST', '/users/auth/logout/', {
      body: {
        refresh: client.cookie('refresh_token'),
      },
    })
    const page = await client.get(PROFILE)
    expect(page.location).toBe('/users/web/auth/send_sms/')
    expect(client.cookie('refresh_token')).toBeUndefined()
  })

  it('saves name and email, and shows a refused email next to its field without saving anything', async () => {
    const client = await webSignIn(uniquePhone())
    const refused = await client.post(PROFILE, { first_name: 'Anna', last_name: 'Smirnova', email: 'not-an-email' })
    expect(refused.status).toBe(400)
    expect(textOf(refused.html, 'email-error')).toBe('Enter an email address like name@example.com.')
    expect(inputWithId(refused.html, 'first-name')).toContain('value="Anna"')
    expect(inputWithId(refused.html, 'email')).toContain('autofocus')
    const token = () => client.cookie('access_token')
    expect((await api('GET', '/users/profile/', {
      token: token(),
    })).body.first_name).toBe('')

    const saved = await client.post(PROFILE, { first_name: 'Anna', last_name: 'Smirnova', email: 'anna@example.com' })
    expect(saved.status).toBe(303)
    expect(saved.location).toBe(`${PROFILE}?done=saved`)
    const page = await client.get(saved.location!)
    expect(page.html).toContain('<p class="status" role="status">Your details are saved.</p>')
    expect(inputWithId(page.html, 'first-name')).toContain('value="Anna"')
    expect(inputWithId(page.html, 'last-name')).toContain('value="Smirnova"')
    expect((await api('GET', '/users/profile/', {
      token: token(),
    })).body).toMatchObject({ first_name: 'Anna', email: 'anna@example.com' })

    await client.post(PROFILE, { first_name: 'Anna', last_name: 'Smirnova', email: '' })
    expect((await api('GET', '/users/profile/', {
      token: token(),
    })).body.email).toBeNull()
  })

  it('activates an inviter\'s code: both see their points change', async () => {
    const inviter = await signIn()
    const client = await webSignIn(uniquePhone())
    const prefilled = await client.get(`${PROFILE}?ref=${inviter.user.referral_code.toLowerCase()}`)
    expect(inputWithId(prefilled.html, 'inviter-referral-code')).toContain(`value="${inviter.user.referral_code}"`)
    // The waiting invitation is the first thing on the page, before the points and everything else.
    expect(prefilled.html.indexOf('id="inviter-heading"')).toBeLessThan(prefilled.html.indexOf('id="account-heading"'))

    const activated = await client.post(ACTIVATE, { inviter_referral_code: inviter.user.referral_code })
    expect(activated.location).toBe(`${PROFILE}?done=activated`)
    const page = await client.get(activated.location!)
    expect(page.html).toContain('<dd class="points">100</dd>')
    expect(page.html).toContain(`You activated the code ${inviter.user.referral_code}.`)
    expect(inputWithId(page.html, 'inviter-referral-code')).toBeUndefined()
    expect((await api('GET', '/users/profile/', { token: inviter.access })).body.points).toBe(200)
  })

  it('shows each refused activation next to the code field, in words', async () => {
    const client = await webSignIn(uniquePhone(), new WebClient(undefined, { 'Accept-Language': 'ru' }))
    const { body: me } = await api('GET', '/users/profile/', {
      token: client.cookie('access_token'),
    })
    const cases = [
      { code: 'abc', status: 400, message: 'Реферальный код — это 6 букв и цифр, например K7WQ3M.' },
      { code: 'ZZZZZZ', status: 404, message: 'Такого кода ни у кого нет. Проверьте его и попробуйте снова.' },
      { code: me.referral_code, status: 422, message: 'Это ваш собственный код. Введите код того, кто вас пригласил.' },
    ]
    for (const { code, status, message } of cases) {
      const page = await client.post(ACTIVATE, { inviter_referral_code: code })
      expect(page.status, code).toBe(status)
      expect(textOf(page.html, 'inviter-referral-code-error'), code).toBe(message)
      expect(inputWithId(page.html, 'inviter-referral-code'), code).toContain(`value="${code}"`)
    }
  })

  it('lists referrals, newest first, with masked numbers', async () => {
    const inviter = await webSignIn(uniquePhone())
    const { body: me } = await api('GET', '/users/profile/', {
      token: inviter.cookie('access_token'),
    })
    const invitee = await signIn()
    await api('PATCH', '/users/profile/update/', {
      token: invitee.access,
      body: { first_name: 'Boris', inviter_referral_code: me.referral_code },
    })
    const page = await inviter.get(PROFILE)
    expect(textOf(page.html, 'referrals-heading')).toBe('Your referrals (1)')
    expect(page.html).toContain('Boris')
    expect(page.html).toContain(`${invitee.phone.slice(0, 5)}*****${invitee.phone.slice(-2)}`)
    expect(page.html).not.toContain(invitee.phone)
    expect(page.html).toContain('<dd class="points">200</dd>')
  })

  it('signs out this browser only: its refresh token is revoked, the cookies are cleared, and a page says so', async () => {
    const phone = uniquePhone()
    const client = await webSignIn(phone)
    const elsewhere = await signIn(phone)
    const refresh = client.cookie('refresh_token')
    const signedOut = await client.post(SIGN_OUT, {})
    expect(signedOut.location).toBe(SIGNED_OUT)
    expect(client.cookie('access_token')).toBeUndefined()
    expect(client.cookie('refresh_token')).toBeUndefined()
    expect(textOf((await client.get(signedOut.location!)).html, 'main')).toContain('You are signed out on this device.')
    expect((await api('POST', '/users/auth/refresh/', {
      body: { refresh },
    })).status).toBe(401)
    expect((await api('POST', '/users/auth/refresh/', {
      body: { refresh: elsewhere.refresh },
    })).status).toBe(200)
    expect((await client.get(PROFILE)).location).toBe('/users/web/auth/send_sms/')
  })

  it('signs out everywhere: every session of the account ends, and the page says when open pages elsewhere notice', async () => {
    const phone = uniquePhone()
    const client = await webSignIn(phone, new WebClient(undefined, { 'Accept-Language': 'ru' }))
    const elsewhere = await signIn(phone)
    const signedOut = await client.post(SIGN_OUT, { everywhere: '1' })
    expect(signedOut.location).toBe(`${SIGNED_OUT}?everywhere=1`)
    expect(client.cookie('refresh_token')).toBeUndefined()
    expect(textOf((await client.get(signedOut.location!)).html, 'main')).toContain('Вы вышли из аккаунта на всех устройствах. Страница, уже открытая на другом устройстве, перестанет работать не позже чем через 15 минут.')
    expect((await api('POST', '/users/auth/refresh/', {
      body: { refresh: elsewhere.refresh },
    })).status).toBe(401)
  })

  it('lists the account\'s devices, this browser first, and signs another one out', async () => {
    const phone = uniquePhone()
    const client = await webSignIn(phone)
    const elsewhere = await signIn(phone)
    const { body } = await api('GET', '/users/sessions/', { token: elsewhere.access })
    const otherId = body.sessions.find((session: { current: boolean }) => session.current).id
    const page = await client.get(PROFILE)
    expect(textOf(page.html, 'sessions-heading')).toBe('Your devices')
    expect(page.html).toContain('this browser')
    expect(page.html).toContain(`name="session_id" value="${otherId}"`)

    const ended = await client.post(END_SESSION, { session_id: otherId })
    expect(ended.location).toBe(`${PROFILE}?done=sessionEnded`)
    expect((await client.get(ended.location!)).html).toContain('That device is signed out.')
    expect((await api('POST', '/users/auth/refresh/', {
      body: { refresh: elsewhere.refresh },
    })).status).toBe(401)
    expect((await client.get(PROFILE)).html).not.toContain(otherId)
  })

  it('signs every other device out at once, and this browser stays signed in', async () => {
    const phone = uniquePhone()
    const client = await webSignIn(phone)
    const [phoneApp, tablet] = [await signIn(phone), await signIn(phone)]
    expect((await client.get(PROFILE)).html).toContain('Sign out all other devices')

    const ended = await client.post(END_OTHER_SESSIONS, {})
    expect(ended.location).toBe(`${PROFILE}?done=otherSessionsEnded`)
    const after = await client.get(ended.location!)
    expect(after.status).toBe(200)
    expect(after.html).toContain('Every other device is signed out. You stay signed in here.')
    // Only this browser is left, so the button is gone.
    expect(after.html).not.toContain('Sign out all other devices')
    for (const session of [phoneApp, tablet]) {
      expect((await api('POST', '/users/auth/refresh/', {
        body: { refresh: session.refresh },
      })).status).toBe(401)
    }
  })

  it('leaves another account\'s session alone when its id is posted', async () => {
    const client = await webSignIn(uniquePhone())
    const victim = await signIn()
    const { body } = await api('GET', '/users/sessions/', { token: victim.access })
    const ended = await client.post(END_SESSION, { session_id: body.sessions[0].id })
    expect(ended.status).toBe(303)
    expect((await api('POST', '/users/auth/refresh/', {
      body: { refresh: victim.refresh },
    })).status).toBe(200)
    expect((await client.post(END_SESSION, { session_id: 'not-an-id' })).status).toBe(303)
  })

  it('deletes the account with a code texted to its number, then says so', async () => {
    const phone = uniquePhone()
    const client = await webSignIn(phone, new WebClient(undefined, {
      'CF-Connecting-IP': randomAddress(),
    }, withSettings({ OTP_RESEND_SECONDS: '0' })))
    const token = client.cookie('access_token')
    const asked = await client.post(DELETION_CODE, {})
    expect(asked.status).toBe(200)
    expect(asked.html).toContain(`action="${DELETE_ACCOUNT}"`)
    const verificationId = /name="verification_id" value="([^"]+)"/.exec(asked.html)![1]!

    const wrong = await client.post(DELETE_ACCOUNT, { verification_id: verificationId, sms_code: '000000' })
    expect(wrong.status).toBe(400)
    expect(wrong.html).toContain('id="delete-code-error"')
    expect((await api('GET', '/users/profile/', { token })).status).toBe(200)

    const deleted = await client.post(DELETE_ACCOUNT, { verification_id: verificationId, sms_code: await lastCodeSentTo(phone) })
    expect(deleted.location).toBe(`${SIGNED_OUT}?deleted=1`)
    expect(client.cookie('refresh_token')).toBeUndefined()
    expect(textOf((await client.get(deleted.location!)).html, 'main')).toContain('Your account is deleted.')
    expect((await api('GET', '/users/profile/', { token })).body.code).toBe('user_not_found')
  })

  it('refuses the devices and deletion forms when another site posts them, and changes nothing', async () => {
    const phone = uniquePhone()
    const client = await webSignIn(phone)
    const elsewhere = await signIn(phone)
    const { body } = await api('GET', '/users/sessions/', { token: elsewhere.access })
    const crossSite = { 'Origin': 'https://evil.example', 'Sec-Fetch-Site': 'cross-site' }
    expect((await client.post(END_SESSION, { session_id: body.sessions[0].id }, crossSite)).status).toBe(403)
    expect((await client.post(END_OTHER_SESSIONS, {}, crossSite)).status).toBe(403)
    expect((await client.post(DELETION_CODE, {}, crossSite)).status).toBe(403)
    expect((await client.post(DELETE_ACCOUNT, { sms_code: '123456' }, crossSite)).status).toBe(403)
    expect((await client.post(PHONE_CHANGE_CODE, {
      new_phone_number: uniquePhone(),
    }, crossSite)).status).toBe(403)
    expect((await client.post(PHONE_CHANGE, {
      new_phone_number: uniquePhone(),
      sms_code: '123456',
    }, crossSite)).status).toBe(403)
    expect((await api('POST', '/users/auth/refresh/', {
      body: { refresh: elsewhere.refresh },
    })).status).toBe(200)
    expect((await client.get(PROFILE)).status).toBe(200)
  })

  it('moves the account to a new number with a code texted there; other devices are signed out, this browser stays', async () => {
    const phone = uniquePhone()
    const client = await webSignIn(phone, new WebClient(undefined, {
      'CF-Connecting-IP': randomAddress(),
    }))
    const elsewhere = await signIn(phone)
    const newPhone = uniquePhone()

    const invalid = await client.post(PHONE_CHANGE_CODE, { new_phone_number: 'call me' })
    expect(invalid.status).toBe(400)
    expect(invalid.html).toContain('id="new-phone-error"')

    const asked = await client.post(PHONE_CHANGE_CODE, { new_phone_number: newPhone })
    expect(asked.status).toBe(200)
    expect(asked.html).toContain(`action="${PHONE_CHANGE}"`)
    const verificationId = /name="verification_id" value="([^"]+)"/.exec(asked.html)![1]!

    const wrong = await client.post(PHONE_CHANGE, { new_phone_number: newPhone, verification_id: verificationId, sms_code: '000000' })
    expect(wrong.status).toBe(400)
    expect(wrong.html).toContain('id="new-phone-code-error"')

    const changed = await client.post(PHONE_CHANGE, { new_phone_number: newPhone, verification_id: verificationId, sms_code: await lastCodeSentTo(newPhone) })
    expect(changed.location).toBe(`${PROFILE}?done=phoneChanged`)
    const page = await client.get(changed.location!)
    expect(page.status).toBe(200)
    expect(page.html).toContain('Your phone number is changed.')
    expect((await api('GET', '/users/profile/', {
      token: client.cookie('access_token'),
    })).body.phone_number).toBe(newPhone)
    expect((await api('POST', '/users/auth/refresh/', {
      body: { refresh: elsewhere.refresh },
    })).status).toBe(401)
  })

  it('says next to the number when another account holds it', async () => {
    const holder = await signIn()
    // The holder was just texted a sign-in code: no cooldown, so the new-number code goes out at once.
    const client = await webSignIn(uniquePhone(), new WebClient(undefined, {
      'CF-Connecting-IP': randomAddress(),
    }, withSettings({ OTP_RESEND_SECONDS: '0' })))
    const asked = await client.post(PHONE_CHANGE_CODE, { new_phone_number: holder.phone })
    const verificationId = /name="verification_id" value="([^"]+)"/.exec(asked.html)![1]!
    const taken = await client.post(PHONE_CHANGE, { new_phone_number: holder.phone, verification_id: verificationId, sms_code: await lastCodeSentTo(holder.phone) })
    expect(taken.status).toBe(409)
    expect(textOf(taken.html, 'new-phone-error')).toBe('Another account uses this number.')
  })

  it('leads back to sign-in when the account is gone', async () => {
    const client = await webSignIn(uniquePhone())
    const { body: me } = await api('GET', '/users/profile/', {
      token: client.cookie('access_token'),
    })
    await database().query('DELETE FROM users WHERE id = $1', [me.id])
    const page = await client.get(PROFILE)
    expect(page.location).toBe('/users/web/auth/send_sms/')
    expect(client.cookie('access_token')).toBeUndefined()
  })
})

describe('web pages and docs: headers and errors', () => {
  const STRICT_CSP = 'default-src \'self\'; script-src \'self\'; style-src \'self\'; img-src \'self\' data:; connect-src \'self\'; font-src \'self\'; object-src \'none\'; base-uri \'none\'; form-action \'self\'; frame-ancestors \'none\''

  it('send every page with a strict CSP, no framing, no sniffing, no referrer, and no caching of web pages', async () => {
    for (const path of ['/users/web/auth/send_sms/', '/docs/']) {
      const { headers } = await new WebClient().get(path)
      expect(headers.get('Content-Security-Policy'), path).toBe(STRICT_CSP)
      expect(headers.get('X-Frame-Options'), path).toBe('DENY')
      expect(headers.get('X-Content-Type-Options'), path).toBe('nosniff')
      expect(headers.get('Referrer-Policy'), path).toBe('no-referrer')
    }
    expect((await new WebClient().get('/users/web/auth/send_sms/')).headers.get('Cache-Control')).toBe('no-store')
  })

  it('gives Redoc only its two exceptions: inline styles and its search worker', async () => {
    const { headers } = await new WebClient().get('/redoc/')
    const policy = headers.get('Content-Security-Policy')!
    expect(policy).toContain('script-src \'self\';')
    expect(policy).toContain('style-src \'self\' \'unsafe-inline\';')
    expect(policy).toContain('worker-src \'self\' blob:')
  })

  it('loads the docs readers from this origin, never from a CDN', async () => {
    for (const path of ['/docs/', '/redoc/']) {
      const { html } = await new WebClient().get(path)
      expect(html, path).not.toMatch(/https?:\/\//)
      expect(html, path).toMatch(/<script src="\/static\/vendor\//)
      expect(html, path).not.toMatch(/<script>|<style>|style="/)
    }
  })

  it('answers an unknown web address with a 404 page', async () => {
    const page = await new WebClient(undefined, { 'Accept-Language': 'ru' }).get('/users/web/nothing-here/')
    expect(page.status).toBe(404)
    expect(page.headers.get('Content-Type')).toContain('text/html')
    expect(page.html).toContain('Страница не найдена')
  })
})
