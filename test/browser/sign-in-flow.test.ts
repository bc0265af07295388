// People using the web interface in Chromium: signing up with the code from the (fake) SMS, inviting each other
// through the share link, seeing their points, editing their details, signing out; and what they see when
// something is wrong. Pages are driven by their labels and roles, as a screen reader user would find them. Every
// step is photographed at 1280 and 390 px in both languages (test-results/screenshots/).
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { descriptionOf, isFocused, PHONE, screenshots, textOf } from './support/chromium'
import { browserSuite } from './support/suite'

const { app: server, person } = browserSuite()

/** What a person reads and clicks, in each language. */
const WORDS = {
  en: {
    locale: 'en-US',
    phone: 'Phone number',
    send: 'Get a code',
    invalidPhone: /^Enter a phone number with the country code/,
    code: 'Code from the SMS',
    signIn: 'Sign in',
    wrongCode: 'This code is wrong or has expired. Check it, or send a new one. 4 attempts left.',
    resend: 'Send the code again',
    cooldown: /^You can ask for a new code in \d+ seconds\.$/,
    profile: 'Your profile',
    invited: (code: string) => `You came with an invitation: activate the code ${code} and get 100 points.`,
    inviterCode: 'Inviter\'s referral code',
    activate: 'Activate',
    unknownCode: /^No one has this code/,
    activated: 'The code is activated: the points are yours.',
    points: 'Points',
    firstName: 'First name',
    save: 'Save',
    saved: 'Your details are saved.',
    signOut: 'Sign out',
    signOutEverywhere: 'Sign out everywhere',
    signedOutTitle: 'You are signed out',
    signedOut: 'You are signed out on this device.',
    signedOutEverywhere: 'You are signed out on every device. A page already open elsewhere stops working within 15 minutes.',
  },
  ru: {
    locale: 'ru-RU',
    phone: 'Номер телефона',
    send: 'Получить код',
    invalidPhone: /^Введите номер с кодом страны/,
    code: 'Код из SMS',
    signIn: 'Войти',
    wrongCode: 'Код неверный или устарел. Проверьте его или запросите новый. Осталось 4 попытки.',
    resend: 'Отправить код ещё раз',
    cooldown: /^Новый код можно запросить через \d+ секунд[уы]?\.$/,
    profile: 'Ваш профиль',
    invited: (code: string) => `Вы пришли по приглашению: активируйте код ${code} и получите 100 баллов.`,
    inviterCode: 'Реферальный код пригласившего',
    activate: 'Активировать',
    unknownCode: /^Такого кода ни у кого нет/,
    activated: 'Код активирован: баллы начислены.',
    points: 'Баллы',
    firstName: 'Имя',
    save: 'Сохранить',
    saved: 'Данные сохранены.',
    signOut: 'Выйти',
    signOutEverywhere: 'Выйти на всех устройствах',
    signedOutTitle: 'Вы вышли',
    signedOut: 'Вы вышли из аккаунта на этом устройстве.',
    signedOutEverywhere: 'Вы вышли из аккаунта на всех устройствах. Страница, уже открытая на другом устройстве, перестанет работать не позже чем через 15 минут.',
  },
}
type Words = typeof WORDS.en

/** The value shown next to a term on the profile ("Points" → "200"). */
function fact(page: Page, term: string) {
  return page.locator('dt', { hasText: term }).locator('xpath=following-sibling::dd[1]')
}

async function requestCode(page: Page, phone: string, words: Words = WORDS.en) {
  await page.getByLabel(words.phone).fill(phone)
  await page.getByRole('button', { name: words.send }).click()
  await page.waitForURL('**/users/web/auth/verify_sms/')
}

async function enterCode(page: Page, phone: string, words: Words = WORDS.en) {
  await page.getByLabel(words.code).fill(await server().lastCodeSentTo(phone))
  await page.getByRole('button', { name: words.signIn }).click()
  await page.waitForURL('**/users/web/profile/**')
}

/** Whether the header's name, language switch and sign-out button share one row, the name shown whole. */
async function headerOnOneRow(page: Page): Promise<boolean> {
  return page.locator('.site-header').evaluate((header) => {
    const [first, ...others] = Array.from(header.children, child => child.getBoundingClientRect())
    const brand = header.querySelector('.brand')!
    return others.every(box => box.top < first!.bottom && box.bottom > first!.top) && brand.scrollWidth <= brand.clientWidth
  })
}

/** Whether the element is in the first screenful, seen without scrolling. */
async function aboveTheFold(page: Page, name: string): Promise<boolean> {
  const box = await page.getByRole('button', { name }).boundingBox()
  return box !== null && box.y + box.height <= page.viewportSize()!.height
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
    await requestCode(anna, '+7 (912) 345-67-01')
    await anna.getByText('We texted a sign-in code to +7 912 345 67 01.').waitFor()
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

    // Boris opens Anna's link on a phone, with his browser in Russian.
    const boris = await person({ viewport: PHONE, locale: 'ru-RU' })
    const borisPhone = '+79123456702'
    await boris.goto(shareLink)
    await boris.getByText(`Вас пригласили с кодом ${annaCode}.`).waitFor()
    await requestCode(boris, borisPhone, WORDS.ru)
    await enterCode(boris, borisPhone, WORDS.ru)
    await expect.poll(() => textOf(boris.getByRole('heading', { level: 1 }))).toBe('Ваш профиль')
    // The inviter's code from the link is the first thing he sees, waiting in the activation form.
    await expect.poll(() => boris.getByLabel('Реферальный код пригласившего').inputValue()).toBe(annaCode)
    expect(await aboveTheFold(boris, 'Активировать')).toBe(true)
    await boris.getByRole('button', { name: 'Активировать' }).click()
    await expect.poll(() => textOf(boris.getByRole('status').first())).toBe('Код активирован: баллы начислены.')
    await expect.poll(() => textOf(fact(boris, 'Баллы'))).toBe('100')
    await boris.getByText(`Вы активировали код ${annaCode}.`).waitFor()

    // Boris gives his name; Anna sees him among her referrals, and her points.
    await boris.getByLabel('Имя', { exact: true }).fill('Борис')
    await boris.getByLabel('Фамилия').fill('Петров')
    await boris.getByRole('button', { name: 'Сохранить' }).click()
    await expect.poll(() => textOf(boris.getByRole('status').first())).toBe('Данные сохранены.')
    await expect.poll(() => boris.getByLabel('Фамилия').inputValue()).toBe('Петров')

    await anna.reload()
    await expect.poll(() => textOf(fact(anna, 'Points'))).toBe('200')
    await anna.getByRole('heading', { name: 'Your referrals (1)' }).waitFor()
    await expect.poll(() => anna.locator('.referrals li').allTextContents()).toEqual([
      expect.stringMatching(/^Борис Петров \+7912\*{5}02, joined /),
    ])
    await screenshots(anna, 'profile-with-referral-en')

    // Both sign out, and are told so; the profile is then out of reach.
    for (const [page, words, language] of [
      [anna, WORDS.en, 'en'],
      [boris, WORDS.ru, 'ru'],
    ] as const) {
      await page.getByRole('button', { name: words.signOut, exact: true }).click()
      await page.waitForURL('**/users/web/auth/signed_out/')
      await expect.poll(() => textOf(page.getByRole('heading', { level: 1 }))).toBe(words.signedOutTitle)
      await expect.poll(() => textOf(page.getByRole('status'))).toBe(words.signedOut)
      await screenshots(page, `signed-out-${language}`)
      await page.goto(`${server().origin}/users/web/profile/`)
      await page.waitForURL(`${server().origin}/users/web/auth/send_sms/`)
    }
  })

  it.for([
    ['en', '+79123456711', '+79123456712'],
    ['ru', '+79123456721', '+79123456722'],
  ] as const)('in %s, a newcomer follows an invitation from the wrong number to signing out everywhere, every step on a phone and a desktop', { timeout: 120_000 }, async ([language, inviterPhone, phone]) => {
    const words = WORDS[language]
    const inviter = await person()
    await inviter.goto(`${server().origin}/users/web/auth/send_sms/`)
    await requestCode(inviter, inviterPhone)
    await enterCode(inviter, inviterPhone)
    const inviterCode = await inviter.getByRole('textbox', { name: 'Your referral code' }).inputValue()

    const newcomer = await person({ viewport: PHONE, locale: words.locale })
    await newcomer.goto(`${server().origin}/users/web/auth/send_sms/?ref=${inviterCode}`)
    await screenshots(newcomer, `send-code-${language}`)

    // A number without its country code is shown next to the field, which gets the focus back.
    await newcomer.getByLabel(words.phone).fill('12345')
    await newcomer.getByRole('button', { name: words.send }).click()
    const phoneField = newcomer.getByLabel(words.phone)
    await expect.poll(() => phoneField.getAttribute('aria-invalid')).toBe('true')
    await expect.poll(() => descriptionOf(phoneField)).toMatch(words.invalidPhone)
    await expect.poll(() => isFocused(phoneField)).toBe(true)
    await screenshots(newcomer, `send-code-error-${language}`)

    await requestCode(newcomer, phone, words)
    await screenshots(newcomer, `verify-code-${language}`)

    // A wrong code says how many attempts are left.
    await newcomer.getByLabel(words.code).fill('000000')
    await newcomer.getByRole('button', { name: words.signIn }).click()
    const codeField = newcomer.getByLabel(words.code)
    await expect.poll(() => descriptionOf(codeField)).toMatch(new RegExp(`^${words.wrongCode.replaceAll('.', '\\.')}`))
    await expect.poll(() => isFocused(codeField)).toBe(true)
    await screenshots(newcomer, `verify-code-error-${language}`)

    // Asking again at once is refused, with the wait said next to the button.
    await newcomer.getByRole('button', { name: words.resend }).click()
    const resend = newcomer.getByRole('button', { name: words.resend })
    await expect.poll(() => descriptionOf(resend)).toMatch(words.cooldown)
    await expect.poll(() => isFocused(resend)).toBe(true)
    await screenshots(newcomer, `verify-code-cooldown-${language}`)

    // The right code still works; the invitation is the first thing on the profile, the header one row.
    await enterCode(newcomer, phone, words)
    await expect.poll(() => textOf(newcomer.getByRole('heading', { level: 1 }))).toBe(words.profile)
    await newcomer.getByText(words.invited(inviterCode)).waitFor()
    expect(await aboveTheFold(newcomer, words.activate)).toBe(true)
    expect(await headerOnOneRow(newcomer)).toBe(true)
    await screenshots(newcomer, `profile-invited-${language}`)

    const inviterField = newcomer.getByLabel(words.inviterCode)
    await inviterField.fill('ZZZZZZ')
    await newcomer.getByRole('button', { name: words.activate }).click()
    await expect.poll(() => descriptionOf(inviterField)).toMatch(words.unknownCode)
    await screenshots(newcomer, `profile-error-${language}`)

    await inviterField.fill(inviterCode)
    await newcomer.getByRole('button', { name: words.activate }).click()
    await expect.poll(() => textOf(newcomer.getByRole('status').first())).toBe(words.activated)
    await expect.poll(() => textOf(fact(newcomer, words.points))).toBe('100')
    await newcomer.getByLabel(words.firstName, { exact: true }).fill('Alex')
    await newcomer.getByRole('button', { name: words.save }).click()
    await expect.poll(() => textOf(newcomer.getByRole('status').first())).toBe(words.saved)
    await expect.poll(() => newcomer.getByLabel(words.firstName, { exact: true }).inputValue()).toBe('Alex')
    await screenshots(newcomer, `profile-${language}`)

    await newcomer.getByRole('button', { name: words.signOutEverywhere }).click()
    await newcomer.waitForURL('**/users/web/auth/signed_out/?everywhere=1')
    await expect.poll(() => textOf(newcomer.getByRole('status'))).toBe(words.signedOutEverywhere)
    expect(await headerOnOneRow(newcomer)).toBe(true)
    await screenshots(newcomer, `signed-out-everywhere-${language}`)
    await newcomer.goto(`${server().origin}/users/web/profile/`)
    await newcomer.waitForURL(`${server().origin}/users/web/auth/send_sms/`)
  })

  it('works with the keyboard alone, and switches language', async () => {
    const page = await person()
    await page.goto(`${server().origin}/users/web/auth/send_sms/`)
    // The phone field has focus on arrival; Enter submits each form.
    await expect.poll(() => isFocused(page.getByLabel('Phone number'))).toBe(true)
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
