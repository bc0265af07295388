// The sign-in text: its language (locale, Accept-Language, SMS_DEFAULT_LOCALE), the autofill line (WebOTP's
// `@host #code`, Android's app hash), and that it always fits one SMS: a text in parts costs more and autofill may
// miss it. Read from what the fake Twilio received.
import { env } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { loadConfig } from '../../src/config'
import { smsSize } from '../../src/integrations/sms/sms-segments'
import { api, lastCodeSentTo, sendSms, signIn, smsSentTo, uniquePhone, withSettings } from './helpers'

const DOMAIN = 'auth.example.com'
const APP_HASH = 'FA+9qCX9VSu'

async function textSent(phone: string): Promise<string> {
  return (await smsSentTo(phone)).at(-1)!.form.Body!
}

/** GSM-7 septets, counted here apart from the code under test: ASCII, with the extension characters taking two. */
function asciiSeptets(text: string): number {
  expect(text).toMatch(/^[\n\x20-\x7E]*$/)
  return text.length + (text.match(/[[\]\\^{|}~]/g)?.length ?? 0)
}

describe('the sign-in text fits one SMS', () => {
  const autofill = [
    ['no autofill line', {}],
    [
      'the WebOTP line',
      { WEB_OTP_DOMAIN: DOMAIN },
    ],
    [
      'the app hash',
      { SMS_ANDROID_APP_HASH: APP_HASH },
    ],
    [
      'the WebOTP line and the app hash',
      { WEB_OTP_DOMAIN: DOMAIN, SMS_ANDROID_APP_HASH: APP_HASH },
    ],
  ] as const
  const cases = ['en', 'ru'].flatMap(locale => [4, 5, 6, 7, 8].flatMap(length => autofill.map(([name, settings]) => [locale, length, name, settings] as const)))

  it.each(cases)('in %s with %i digits and %s', async (locale, length, _, settings) => {
    const phone = uniquePhone()
    expect((await sendSms(phone, {
      env: withSettings({
        OTP_LENGTH: String(length),
        ...settings,
      }),
      fields: { locale },
    })).status).toBe(202)
    const text = await textSent(phone)
    const code = await lastCodeSentTo(phone)
    expect(code).toHaveLength(length)
    const size = smsSize(text)
    expect(size.segments).toBe(1)
    if (locale === 'en') {
      expect(size.encoding).toBe('GSM-7')
      expect(asciiSeptets(text)).toBeLessThanOrEqual(160)
    }
    else {
      expect(size.encoding).toBe('UCS-2')
      expect(text.length).toBeLessThanOrEqual(70)
      expect(text).toMatch(/код входа/)
    }
    const lastLine = text.split('\n').at(-1)
    if ('WEB_OTP_DOMAIN' in settings && 'SMS_ANDROID_APP_HASH' in settings)
      expect(lastLine).toBe(`@${DOMAIN} #${code} ${APP_HASH}`)
    else if ('WEB_OTP_DOMAIN' in settings)
      expect(lastLine).toBe(`@${DOMAIN} #${code}`)
    else if ('SMS_ANDROID_APP_HASH' in settings)
      expect(lastLine).toBe(APP_HASH)
    else
      expect(text).not.toContain('\n')
  })

  it('is today\'s text when nothing asks for more', async () => {
    const phone = uniquePhone()
    await sendSms(phone)
    expect(await textSent(phone)).toBe(`${await lastCodeSentTo(phone)} is your Phone Auth sign-in code. It expires in 5 min.`)
  })

  it('keeps the full Russian text where it fits, and drops words before it would take a second SMS', async () => {
    const phone = uniquePhone()
    await sendSms(phone, {
      fields: { locale: 'ru' },
    })
    expect(await textSent(phone)).toBe(`${await lastCodeSentTo(phone)} — код входа в Phone Auth. Действует 5 мин.`)
    const other = uniquePhone()
    await sendSms(other, {
      env: withSettings({ OTP_LENGTH: '8', WEB_OTP_DOMAIN: DOMAIN, SMS_ANDROID_APP_HASH: APP_HASH }),
      fields: { locale: 'ru' },
    })
    const code = await lastCodeSentTo(other)
    expect(await textSent(other)).toBe(`${code} — код входа.\n@${DOMAIN} #${code} ${APP_HASH}`)
  })

  it('is refused at start-up when the autofill settings cannot fit one SMS, or are not what they name', () => {
    const configured = (settings: Record<string, string>) => () => loadConfig({
      ...env,
      ...settings,
    })
    expect(configured({ WEB_OTP_DOMAIN: 'sign-in.accounts.phone-auth.example.com', SMS_ANDROID_APP_HASH: APP_HASH })).toThrow(/WEB_OTP_DOMAIN: the ru sign-in SMS/)
    expect(configured({ WEB_OTP_DOMAIN: 'https://auth.example.com' })).toThrow(/WEB_OTP_DOMAIN/)
    expect(configured({ SMS_ANDROID_APP_HASH: 'short' })).toThrow(/SMS_ANDROID_APP_HASH/)
    expect(configured({ SMS_DEFAULT_LOCALE: 'de' })).toThrow(/SMS_DEFAULT_LOCALE/)
  })
})

describe('the language of the text', () => {
  it.each([
    [
      'the request\'s locale',
      { locale: 'ru' },
      {},
      undefined,
      'ru',
    ],
    [
      'a regional tag of a language we write in',
      { locale: 'ru-RU' },
      {},
      undefined,
      'ru',
    ],
    [
      'the locale before Accept-Language',
      { locale: 'en' },
      { 'Accept-Language': 'ru' },
      undefined,
      'en',
    ],
    [
      'Accept-Language by preference',
      {},
      { 'Accept-Language': 'de-DE, ru;q=0.8, en;q=0.5' },
      undefined,
      'ru',
    ],
    [
      'Accept-Language without what q=0 refuses',
      {},
      { 'Accept-Language': 'ru;q=0, en' },
      undefined,
      'en',
    ],
    [
      'SMS_DEFAULT_LOCALE when neither names a language we write in',
      { locale: 'de' },
      { 'Accept-Language': 'fr' },
      'ru',
      'ru',
    ],
    [
      'English when nothing is said',
      {},
      {},
      undefined,
      'en',
    ],
  ])('follows %s', async (_, fields, headers, defaultLocale, expected) => {
    const phone = uniquePhone()
    const sent = await api('POST', '/users/auth/send_sms/', {
      body: { phone_number: phone, ...fields },
      headers,
      env: defaultLocale
        ? withSettings({ SMS_DEFAULT_LOCALE: defaultLocale })
        : undefined,
    })
    expect(sent.status).toBe(202)
    expect(/код входа/.test(await textSent(phone))).toBe(expected === 'ru')
  })

  it('texts the code for a number change in the language of Accept-Language too', async () => {
    const me = await signIn()
    const newPhone = uniquePhone()
    const sent = await api('POST', '/users/profile/phone/', {
      token: me.access,
      body: { new_phone_number: newPhone },
      headers: { 'Accept-Language': 'ru-RU, en;q=0.5' },
    })
    expect(sent.status).toBe(202)
    expect(await textSent(newPhone)).toMatch(/код входа/)
  })

  it('refuses a locale that is not a language tag with 400 naming the field', async () => {
    const refused = await sendSms(uniquePhone(), {
      fields: { locale: 'русский' },
    })
    expect(refused.status).toBe(400)
    expect(refused.body.errors).toEqual([
      {
        path: 'locale',
        message: expect.any(String),
      },
    ])
  })
})
