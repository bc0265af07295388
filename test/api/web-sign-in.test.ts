import { describe, expect, it } from 'vitest'
import { parseE164 } from '../../src/domain/phone-number'
import { api, lastCodeSentTo, smsSentTo, uniquePhone, verifySms as verifySmsApi, withSettings } from './helpers'
import { inputWithId, textOf, WebClient, webSignIn } from './web-helpers'

const SEND = '/users/web/auth/send_sms/'
const VERIFY = '/users/web/auth/verify_sms/'
const RESEND = '/users/web/auth/verify_sms/resend/'

describe('web sign-in pages', () => {
  it('shows the phone form, in the language the browser asks for', async () => {
    const english = await new WebClient().get(SEND, { 'Accept-Language': 'de-DE, en;q=0.8, ru;q=0.5' })
    expect(english.status).toBe(200)
    expect(english.headers.get('Content-Type')).toContain('text/html')
    expect(english.html).toMatch(/^<!doctype html><html lang="en">/)
    expect(english.html).toContain('<label for="phone-number">Phone number</label>')
    expect(inputWithId(english.html, 'phone-number')).toMatch(/type="tel"[^>]*autocomplete="tel"/)

    const russian = await new WebClient().get(SEND, { 'Accept-Language': 'ru-RU,ru;q=0.9,en;q=0.8' })
    expect(russian.html).toContain('<html lang="ru">')
    expect(russian.html).toContain('Номер телефона')
  })

  it('switches language with ?lang= and remembers the choice over Accept-Language', async () => {
    const client = new WebClient(undefined, { 'Accept-Language': 'en' })
    const switched = await client.get(`${SEND}?lang=ru`)
    expect(switched.html).toContain('<html lang="ru">')
    expect(client.setCookie('lang')).toMatch(/^lang=ru; Max-Age=31536000; Path=\/users\/web\/; HttpOnly; Secure; SameSite=Lax$/)
    expect((await client.get(SEND)).html).toContain('<html lang="ru">')
    // The switch links keep the page's own parameters.
    expect((await client.get(`${SEND}?ref=K7WQ3M`)).html).toContain(`href="${SEND}?ref=K7WQ3M&amp;lang=en"`)
  })

  it('sends a code and moves to the code form, which names the number', async () => {
    const client = new WebClient()
    const phone = uniquePhone()
    const sent = await client.post(SEND, {
      phone_number: phone.replace(/^\+7(\d{3})(\d{3})(\d{2})(\d{2})$/, '+7 ($1) $2-$3-$4'),
    })
    expect(sent.status).toBe(303)
    expect(sent.location).toBe(VERIFY)
    expect(await smsSentTo(phone)).toHaveLength(1)
    expect(client.setCookie('sign_in')).toMatch(/; Max-Age=300; Path=\/users\/web\/auth\/; HttpOnly; Secure; SameSite=Lax$/)

    const form = await client.get(VERIFY)
    expect(form.status).toBe(200)
    expect(form.html).toContain(`${phone.slice(0, 2)} ${phone.slice(2, 5)} ${phone.slice(5, 8)}`)
    expect(inputWithId(form.html, 'sms-code')).toMatch(/autocomplete="one-time-code"[^>]*inputmode="numeric"/)
  })

  it('shows an invalid number next to the field, keeping what was typed', async () => {
    const client = new WebClient()
    const page = await client.post(SEND, { phone_number: '12345' })
    expect(page.status).toBe(400)
    expect(textOf(page.html, 'phone-number-error')).toBe('Enter a phone number with the country code, for example +7 912 345-67-89.')
    const input = inputWithId(page.html, 'phone-number')
    expect(input).toContain('value="12345"')
    expect(input).toContain('aria-invalid="true"')
    expect(input).toContain('aria-describedby="phone-number-error phone-number-hint"')
    expect(input).toContain('autofocus')
  })

  it('shows a wrong code next to the code field with the attempts left, in Russian too', async () => {
    const client = new WebClient(undefined, { 'Accept-Language': 'ru' })
    await client.post(SEND, {
      phone_number: uniquePhone(),
    })
    const wrong = await client.post(VERIFY, { sms_code: '000000' })
    expect(wrong.status).toBe(400)
    expect(textOf(wrong.html, 'sms-code-error')).toBe('Код неверный или устарел. Проверьте его или запросите новый. Осталось 4 попытки.')
    const malformed = await client.post(VERIFY, { sms_code: '12ab' })
    expect(textOf(malformed.html, 'sms-code-error')).toBe('Введите код из SMS: 6 цифр.')
    expect(client.cookie('access_token')).toBeUndefined()
  })

  it('signs in with the texted code: the tokens go into HttpOnly cookies for the web pages only', async () => {
    const client = await webSignIn(uniquePhone())
    for (const name of ['access_token', 'refresh_token'])
      expect(client.setCookie(name)).toMatch(/; Path=\/users\/web\/; HttpOnly; Secure; SameSite=Lax$/)
    expect(client.setCookie('access_token')).toContain('Max-Age=900;')
    expect(client.setCookie('refresh_token')).toContain('Max-Age=2592000;')
    expect(client.setCookie('sign_in')).toContain('Max-Age=0')
    // The cookie holds the API's own access token.
    const profile = await api('GET', '/users/profile/', {
      token: client.cookie('access_token'),
    })
    expect(profile.status).toBe(200)
  })

  it('says when a new code can be asked for, while the resend cooldown lasts', async () => {
    const client = new WebClient()
    const phone = uniquePhone()
    await client.post(SEND, { phone_number: phone })
    const refused = await client.post(RESEND, {})
    expect(refused.status).toBe(429)
    expect(refused.html).toMatch(/You can ask for a new code in \d+ seconds\./)
    expect(await smsSentTo(phone)).toHaveLength(1)
  })

  it('sends the code again from the code form once the cooldown allows', async () => {
    const client = new WebClient(undefined, {}, withSettings({ OTP_RESEND_SECONDS: '0' }))
    const phone = uniquePhone()
    await client.post(SEND, { phone_number: phone })
    const resent = await client.post(RESEND, {})
    expect(resent.status).toBe(303)
    expect(resent.location).toBe(`${VERIFY}?resent=1`)
    expect(await smsSentTo(phone)).toHaveLength(2)
    expect(textOf((await client.get(resent.location!)).html, 'main')).toContain('A new code is on its way.')
  })

  it('keys every spelling of the number in a tampered sign-in cookie to the one number\'s limits', async () => {
    const phone = parseE164('+7 912 188 26 28')!
    const client = new WebClient()
    expect((await client.post(SEND, { phone_number: phone })).status).toBe(303)
    const spellings = [
      '+7 (912) 188-26-28',
      '+7-9121882628',
      'tel:+79121882628',
      '+79121882628 ',
    ]
    for (const spelling of spellings) {
      client.cookies.set('sign_in', {
        value: encodeURIComponent(new URLSearchParams({ phone: spelling }).toString()),
        path: '/users/web/auth/',
      })
      const resent = await client.post(RESEND, {})
      expect(resent.status, spelling).toBe(429)
    }
    expect(await smsSentTo(phone)).toHaveLength(1)
  })

  it('guesses with the verification id the send gave it, so a stranger\'s guesses cannot lock the form out', async () => {
    const phone = uniquePhone()
    const client = new WebClient()
    await client.post(SEND, { phone_number: phone })
    const code = await lastCodeSentTo(phone)
    for (let guess = 1; guess <= 5; guess++)
      await verifySmsApi(phone, '000000')
    const signedIn = await client.post(VERIFY, { sms_code: code })
    expect(signedIn.status, signedIn.html).toBe(303)
  })

  it('goes back to the phone form when there is no number waiting for a code', async () => {
    const client = new WebClient()
    expect((await client.get(VERIFY)).location).toBe(SEND)
    expect((await client.post(VERIFY, { sms_code: '123456' })).location).toBe(SEND)
    expect((await client.post(RESEND, {})).location).toBe(SEND)
  })

  it('carries an inviter\'s code from a share link through sign-in to the profile', async () => {
    const client = new WebClient()
    const link = await client.get(`${SEND}?ref=k7wq3m`)
    expect(link.html).toContain('<input type="hidden" name="ref" value="K7WQ3M"/>')
    const phone = uniquePhone()
    await client.post(SEND, { phone_number: phone, ref: 'K7WQ3M' })
    const verified = await client.post(VERIFY, { sms_code: await lastCodeSentTo(phone) })
    expect(verified.location).toBe('/users/web/profile/?ref=K7WQ3M')
    // Signed in, the share link leads straight to the profile.
    expect((await client.get(`${SEND}?ref=K7WQ3M`)).location).toBe('/users/web/profile/?ref=K7WQ3M')
  })

  it('refuses forms sent from another site, and sends nothing', async () => {
    const phone = uniquePhone()
    const page = await new WebClient().post(SEND, { phone_number: phone }, { 'Origin': 'https://evil.example', 'Sec-Fetch-Site': 'cross-site' })
    expect(page.status).toBe(403)
    expect(page.html).toContain('The form was sent from another site')
    expect(await smsSentTo(phone)).toHaveLength(0)
  })

  it('relaxes Secure only for plain http on this machine', async () => {
    const local = new WebClient('http://localhost:8787')
    await local.get(`${SEND}?lang=en`)
    expect(local.setCookie('lang')).not.toContain('Secure')
    const remote = new WebClient('http://auth.example.com')
    await remote.get(`${SEND}?lang=en`)
    expect(remote.setCookie('lang')).toContain('Secure')
  })
})
