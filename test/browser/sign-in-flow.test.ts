// People using the web interface in Chromium: signing up with the code from the (fake) SMS, inviting each other
// through the share link, seeing their points, editing their details, signing out; and what they see when
// something is wrong. Pages are driven by their labels and roles, as a screen reader user would find them.
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { descriptionOf, isFocused, PHONE, screenshots, textOf } from './support/chromium'
import { browserSuite } from './support/suite'

const { app: server, person } = browserSuite()

/** The value shown next to a term on the profile ("Points" → "200"). */
function fact(page: Page, term: string) {
  return page.locator('dt', { hasText: term }).locator('xpath=following-sibling::dd[1]')
}

async function requestCode(page: Page, phone: string, labels = { phone: 'Phone number', send: 'Get a code' }) {
  await page.getByLabel(labels.phone).fill(phone)
  await page.getByRole('button', { name: labels.send }).click()
  await page.waitForURL('**/users/web/auth/verify_sms/')
}

async function enterCode(page: Page, phone: string, labels = { code: 'Code from the SMS', signIn: 'Sign in' }) {
  await page.getByLabel(labels.code).fill(await server().lastCodeSentTo(phone))
  await page.getByRole('button', { name: labels.signIn }).click()
  await page.waitForURL('**/users/web/profile/**')
}

describe('the web interface in Chromium', () => {
  it('two people: sign up, invite through the share link, see points change, edit the name, sign out', async () => {
    // Anna, on a desktop browser in English.
    const anna = await person({
      permissions: ['clipboard-read', 'clipboard-write'],
    })
    const annaPhone = '+79123456701'
    await anna.goto(`${server().origin}/users/web/auth/send_sms/`)
    await expect.poll(() => textOf(anna.getByRole('heading', { level: 1 }))).toBe('Sign in')
    await screenshots(anna, 'send-code')
    await requestCode(anna, '+7 (912) 345-67-01')
    await anna.getByText('We texted a sign-in code to +7 912 345 67 01.').waitFor()
    await screenshots(anna, 'verify-code')
    await enterCode(anna, annaPhone)

    await expect.poll(() => textOf(anna.getByRole('heading', { level: 1 }))).toBe('Your profile')
    await expect.poll(() => textOf(fact(anna, 'Phone'))).toBe('+7 912 345 67 01')
    await expect.poll(() => textOf(fact(anna, 'Points'))).toBe('0')
    const annaCode = await anna.getByRole('textbox', { name: 'Your referral code' }).inputValue()
    expect(annaCode).toMatch(/^[A-Z2-9]{6}$/)
    const shareLink = await anna.getByRole('textbox', { name: 'Your invitation link' }).inputValue()
    expect(shareLink).toBe(`${server().origin}/users/web/auth/send_sms/?ref=${annaCode}`)
    // The copy button puts the code on the clipboard and says so.
    await anna.getByRole('button', { name: 'Copy your referral code' }).click()
    await expect.poll(() => textOf(anna.locator('#referral-code-status'))).toBe('Copied')
    expect(await anna.evaluate(() => navigator.clipboard.readText())).toBe(annaCode)

    // Boris opens Anna's link on a 360 px phone, with his browser in Russian.
    const boris = await person({ viewport: PHONE, locale: 'ru-RU' })
    const borisPhone = '+79123456702'
    await boris.goto(shareLink)
    await boris.getByText(`Вас пригласили с кодом ${annaCode}.`).waitFor()
    await requestCode(boris, borisPhone, { phone: 'Номер телефона', send: 'Получить код' })
    await enterCode(boris, borisPhone, { code: 'Код из SMS', signIn: 'Войти' })
    await expect.poll(() => textOf(boris.getByRole('heading', { level: 1 }))).toBe('Ваш профиль')
    // The inviter's code from the link is waiting in the activation form.
    await expect.poll(() => boris.getByLabel('Реферальный код пригласившего').inputValue()).toBe(annaCode)
    await boris.getByRole('button', { name: 'Активировать' }).click()
    await expect.poll(() => textOf(boris.getByRole('status').first())).toBe('Код активирован: баллы начислены.')
    await expect.poll(() => textOf(fact(boris, 'Баллы'))).toBe('100')
    await boris.getByText(`Вы активировали код ${annaCode}.`).waitFor()

    // Boris gives his name; Anna sees him among her referrals, and her points.
    await boris.getByLabel('Имя', { exact: true }).fill('Борис')
    await boris.getByLabel('Фамилия').fill('Петров')
    await boris.getByRole('button', { name: 'Сохранить' }).click()
    await expect.poll(() => textOf(boris.getByRole('status').first())).toBe('Данные сохранены.')
    await expect.poll(() => textOf(fact(boris, 'Имя'))).toBe('Борис Петров')

    await anna.reload()
    await expect.poll(() => textOf(fact(anna, 'Points'))).toBe('200')
    await anna.getByRole('heading', { name: 'Your referrals (1)' }).waitFor()
    await expect.poll(() => anna.locator('.referrals li').allTextContents()).toEqual([
      expect.stringMatching(/^Борис Петров \+7912\*{5}02, joined /),
    ])

    // Anna edits her own name.
    await anna.getByLabel('First name').fill('Anna')
    await anna.getByLabel('Last name').fill('Smirnova')
    await anna.getByLabel('Email').fill('anna@example.com')
    await anna.getByRole('button', { name: 'Save' }).click()
    await expect.poll(() => textOf(anna.getByRole('status').first())).toBe('Your details are saved.')
    await expect.poll(() => textOf(fact(anna, 'Name'))).toBe('Anna Smirnova')
    await screenshots(anna, 'profile')
    await screenshots(boris, 'profile-ru')

    // Both sign out; the profile is then out of reach.
    for (const [page, button, heading] of [
      [anna, 'Sign out', 'Sign in'],
      [boris, 'Выйти', 'Вход'],
    ] as const) {
      await page.getByRole('button', { name: button }).click()
      await page.waitForURL('**/users/web/auth/send_sms/')
      await expect.poll(() => textOf(page.getByRole('heading', { level: 1 }))).toBe(heading)
      await page.goto(`${server().origin}/users/web/profile/`)
      await page.waitForURL(`${server().origin}/users/web/auth/send_sms/`)
    }
  })

  it('shows a wrong number and a wrong code next to their fields', async () => {
    const page = await person()
    await page.goto(`${server().origin}/users/web/auth/send_sms/`)
    await page.getByLabel('Phone number').fill('12345')
    await page.getByRole('button', { name: 'Get a code' }).click()
    const phoneField = page.getByLabel('Phone number')
    await expect.poll(() => phoneField.getAttribute('aria-invalid')).toBe('true')
    await expect.poll(() => descriptionOf(phoneField)).toMatch(/^Enter a phone number with the country code/)
    await expect.poll(() => isFocused(phoneField)).toBe(true)
    await screenshots(page, 'send-code-error')

    await requestCode(page, '+79123456703')
    await page.getByLabel('Code from the SMS').fill('000000')
    await page.getByRole('button', { name: 'Sign in' }).click()
    const codeField = page.getByLabel('Code from the SMS')
    await expect.poll(() => descriptionOf(codeField)).toMatch(/^This code is wrong or has expired/)
    await expect.poll(() => isFocused(codeField)).toBe(true)
    await screenshots(page, 'verify-code-error')
    // The right code still works afterwards.
    await enterCode(page, '+79123456703')
  })

  it('shows a refused referral code next to its field', async () => {
    const page = await person()
    await page.goto(`${server().origin}/users/web/auth/send_sms/`)
    await requestCode(page, '+79123456704')
    await enterCode(page, '+79123456704')
    await page.getByLabel('Inviter\'s referral code').fill('ZZZZZZ')
    await page.getByRole('button', { name: 'Activate' }).click()
    await expect.poll(() => descriptionOf(page.getByLabel('Inviter\'s referral code'))).toMatch(/^No one has this code/)
    await screenshots(page, 'profile-error')
  })

  it('says when a new code can be asked for after asking twice quickly', async () => {
    const page = await person()
    await page.goto(`${server().origin}/users/web/auth/send_sms/`)
    await requestCode(page, '+79123456705')
    await page.getByRole('button', { name: 'Send the code again' }).click()
    const resend = page.getByRole('button', { name: 'Send the code again' })
    await expect.poll(() => descriptionOf(resend)).toMatch(/^You can ask for a new code in \d+ seconds\.$/)
    await expect.poll(() => isFocused(resend)).toBe(true)
    await screenshots(page, 'verify-code-cooldown')
  })

  it('works with the keyboard alone, and switches language', async () => {
    const page = await person()
    await page.goto(`${server().origin}/users/web/auth/send_sms/`)
    // The phone field has focus on arrival; Enter submits each form.
    await page.keyboard.type('+79123456706')
    await page.keyboard.press('Enter')
    await page.waitForURL('**/users/web/auth/verify_sms/')
    await expect.poll(() => isFocused(page.getByLabel('Code from the SMS'))).toBe(true)
    await page.keyboard.type(await server().lastCodeSentTo('+79123456706'))
    await page.keyboard.press('Enter')
    await page.waitForURL('**/users/web/profile/**')
    // The first Tab reaches the skip link, which moves to the content.
    await page.keyboard.press('Tab')
    await expect.poll(() => isFocused(page.getByRole('link', { name: 'Skip to content' }))).toBe(true)

    await page.getByRole('navigation', { name: 'Language' }).getByRole('link', { name: 'Русский' }).click()
    await expect.poll(() => textOf(page.getByRole('heading', { level: 1 }))).toBe('Ваш профиль')
    await expect.poll(() => page.locator('html').getAttribute('lang')).toBe('ru')
    await page.goto(`${server().origin}/users/web/profile/`)
    await expect.poll(() => textOf(page.getByRole('heading', { level: 1 }))).toBe('Ваш профиль')
  })
})
