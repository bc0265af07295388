// People managing their account in Chromium: seeing where they are signed in, signing another device out, moving
// to a new number and deleting the account, each with a code texted to the number. Each step is photographed at 1280 and 390 px in both
// languages (test-results/screenshots/).
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { PHONE, screenshots, textOf } from './support/chromium'
import { browserSuite } from './support/suite'

// Deleting right after signing in asks for a second code to the same number: no resend cooldown in this file.
const { app: server, person } = browserSuite({ OTP_RESEND_SECONDS: '0' })

const WORDS = {
  en: {
    locale: 'en-US',
    phone: 'Phone number',
    send: 'Get a code',
    code: 'Code from the SMS',
    signIn: 'Sign in',
    devices: 'Your devices',
    thisBrowser: 'this browser',
    signOutThere: 'Sign out there',
    sessionEnded: 'That device is signed out.',
    newPhone: 'New phone number',
    sendPhoneCode: 'Text a code to the new number',
    changePhone: 'Change the number',
    phoneChanged: 'Your phone number is changed. Other devices are signed out.',
    sendDeletionCode: 'Text me a code to delete my account',
    delete: 'Delete my account',
    deleted: 'Your account is deleted. You can sign up again with your number at any time, as a new user.',
  },
  ru: {
    locale: 'ru-RU',
    phone: 'Номер телефона',
    send: 'Получить код',
    code: 'Код из SMS',
    signIn: 'Войти',
    devices: 'Ваши устройства',
    thisBrowser: 'этот браузер',
    signOutThere: 'Выйти на нём',
    sessionEnded: 'На том устройстве выполнен выход.',
    newPhone: 'Новый номер телефона',
    sendPhoneCode: 'Прислать код на новый номер',
    changePhone: 'Сменить номер',
    phoneChanged: 'Номер телефона изменён. На других устройствах выполнен выход.',
    sendDeletionCode: 'Прислать код для удаления аккаунта',
    delete: 'Удалить аккаунт',
    deleted: 'Аккаунт удалён. С этим номером можно в любой момент зарегистрироваться заново, как новый пользователь.',
  },
}
type Words = typeof WORDS.en

async function signIn(page: Page, phone: string, words: Words) {
  await page.goto(`${server().origin}/users/web/auth/send_sms/`)
  await page.getByLabel(words.phone).fill(phone)
  await page.getByRole('button', { name: words.send }).click()
  await page.waitForURL('**/users/web/auth/verify_sms/')
  await page.getByLabel(words.code).fill(await server().lastCodeSentTo(phone))
  await page.getByRole('button', { name: words.signIn }).click()
  await page.waitForURL('**/users/web/profile/**')
}

describe('managing the account in the browser', () => {
  it.for([
    ['en', '+79123456751', '+79123456752'],
    ['ru', '+79123456761', '+79123456762'],
  ] as const)('in %s, a person signs another device out, moves to a new number, then deletes the account', { timeout: 120_000 }, async ([language, phone, newPhone]) => {
    const words = WORDS[language]
    const laptop = await person({ locale: words.locale })
    await signIn(laptop, phone, words)
    const mobile = await person({ viewport: PHONE, locale: words.locale })
    await signIn(mobile, phone, words)

    const devices = mobile.getByRole('region', { name: words.devices })
    await expect.poll(() => devices.getByRole('listitem').count()).toBe(2)
    await expect.poll(() => textOf(devices.getByRole('listitem').first())).toContain(words.thisBrowser)
    await screenshots(mobile, `profile-devices-${language}`)

    await devices.getByRole('button', { name: words.signOutThere }).click()
    await expect.poll(() => textOf(mobile.getByRole('status').first())).toBe(words.sessionEnded)
    await expect.poll(() => devices.getByRole('listitem').count()).toBe(1)

    await mobile.getByLabel(words.newPhone).fill(newPhone)
    await mobile.getByRole('button', { name: words.sendPhoneCode }).click()
    const phoneCode = mobile.getByLabel(words.code)
    await phoneCode.waitFor()
    await screenshots(mobile, `phone-change-${language}`)
    await phoneCode.fill(await server().lastCodeSentTo(newPhone))
    await mobile.getByRole('button', { name: words.changePhone }).click()
    await expect.poll(() => textOf(mobile.getByRole('status').first())).toBe(words.phoneChanged)

    await mobile.getByRole('button', { name: words.sendDeletionCode }).click()
    const codeField = mobile.getByLabel(words.code)
    await codeField.waitFor()
    await screenshots(mobile, `delete-account-${language}`)
    await codeField.fill(await server().lastCodeSentTo(newPhone))
    await mobile.getByRole('button', { name: words.delete }).click()
    await mobile.waitForURL('**/users/web/auth/signed_out/?deleted=1')
    await expect.poll(() => textOf(mobile.getByRole('status'))).toBe(words.deleted)
    await screenshots(mobile, `account-deleted-${language}`)
  })
})
