// The web interface's words, in Russian and English. Each language is one typed object, so a missing or misspelt
// message is a type error, and messages that depend on a number are functions (Russian has three plural forms).

export const LANGUAGES = ['en', 'ru'] as const
export type Language = typeof LANGUAGES[number]

export interface Messages {
  languageName: string
  serviceName: string
  skipToContent: string
  languageSwitch: string
  // Sign-in
  sendCodeTitle: string
  sendCodeIntro: string
  phoneLabel: string
  phoneHint: string
  sendCodeButton: string
  invitedBy: (code: string) => string
  verifyTitle: string
  codeSentTo: (phone: string) => string
  codeLabel: string
  codeHint: (digits: number) => string
  signInButton: string
  resendButton: string
  resent: string
  changeNumber: string
  // Profile
  profileTitle: string
  accountHeading: string
  phoneTerm: string
  pointsTerm: string
  notSet: string
  inviteHeading: string
  inviteIntro: (inviteePoints: number, inviterPoints: number) => string
  yourCodeLabel: string
  shareLinkLabel: string
  copy: string
  copyButton: (what: string) => string
  copied: string
  inviterHeading: string
  inviterActivated: (code: string) => string
  inviterLabel: string
  inviterHint: string
  activateButton: string
  referralsHeading: (count: number) => string
  noReferrals: string
  referralJoined: (date: string) => string
  pendingTerm: string
  /** Why rewards wait: the operator holds them for a qualifying event, or a signal flagged the activation. */
  pendingForEvent: (points: number, days: number) => string
  pendingForReview: (points: number) => string
  /** A referral whose reward is not (yet) paid; a paid one shows nothing more. */
  referralState: Record<'pending' | 'capped' | 'voided', string>
  olderReferrals: string
  newestReferrals: string
  editHeading: string
  firstNameLabel: string
  lastNameLabel: string
  emailLabel: string
  emailHint: string
  saveButton: string
  saved: string
  activated: string
  /** Activated, with the rewards held (docs/referral-rules.md): the line under the points says why. */
  activatedPending: string
  signOutButton: string
  // Problems
  errorSummary: string
  invalidPhone: string
  invalidCode: (digits: number) => string
  wrongCode: string
  tooManyCodeAttempts: string
  resendIn: (seconds: number) => string
  tooManyRequests: (seconds: number) => string
  smsFailed: string
  codeCheckFailed: string
  noTelegramAccount: string
  notTextable: string
  humanCheckFailed: string
  invalidName: string
  invalidEmail: string
  invalidReferralCode: string
  referralCodeNotFound: string
  ownReferralCode: string
  referralAlreadyActivated: string
  referralCycle: string
  referralFlagged: string
  invalidField: string
  unavailable: string
  badRequest: string
  unexpected: string
  requestId: (id: string) => string
  forbiddenTitle: string
  forbidden: string
  notFoundTitle: string
  notFound: string
  errorTitle: string
  backToStart: string
  attemptsLeft: (count: number) => string
  invitationWaiting: (code: string, points: number) => string
  inviterIntro: (points: number) => string
  sessionsHeading: string
  thisDevice: string
  unknownDevice: string
  sessionLastUsed: (when: string) => string
  endSessionButton: string
  sessionEnded: string
  endOtherSessionsButton: string
  otherSessionsEnded: string
  phoneChangeHeading: string
  phoneChangeIntro: string
  newPhoneLabel: string
  phoneChangeSendButton: string
  phoneChangeCodeHint: (phone: string) => string
  phoneChangeButton: string
  phoneChanged: string
  phoneNumberTaken: string
  deleteHeading: string
  deleteIntro: string
  deleteSendCodeButton: string
  deleteCodeLabel: string
  deleteCodeHint: string
  deleteButton: string
  accountDeleted: string
  signOutEverywhereIntro: string
  signOutEverywhereButton: string
  signedOutTitle: string
  signedOut: string
  signedOutEverywhere: (accessSeconds: number) => string
  signInAgain: string
}

function russianPlural(count: number, one: string, few: string, many: string): string {
  const form = new Intl.PluralRules('ru').select(count)
  return `${count} ${form === 'one'
    ? one
    : form === 'few'
      ? few
      : many}`
}

/** Waits under two minutes are said in seconds, longer ones in whole minutes (rounded up). */
function englishWait(seconds: number): string {
  if (seconds < 120) {
    return seconds === 1
      ? '1 second'
      : `${seconds} seconds`
  }
  return `${Math.ceil(seconds / 60)} minutes`
}

function russianWait(seconds: number): string {
  if (seconds < 120)
    return russianPlural(seconds, 'секунду', 'секунды', 'секунд')
  return russianPlural(Math.ceil(seconds / 60), 'минуту', 'минуты', 'минут')
}

const en: Messages = {
  languageName: 'English',
  serviceName: 'Phone Auth',
  skipToContent: 'Skip to content',
  languageSwitch: 'Language',
  sendCodeTitle: 'Sign in',
  sendCodeIntro: 'Enter your phone number and we will text you a sign-in code. New here? The same code creates your account.',
  phoneLabel: 'Phone number',
  phoneHint: 'With the country code, for example +7 912 345-67-89',
  sendCodeButton: 'Get a code',
  invitedBy: code => `You were invited with the code ${code}. After you sign in, activate it on your profile page to get your bonus.`,
  verifyTitle: 'Enter the code',
  codeSentTo: phone => `We texted a sign-in code to ${phone}.`,
  codeLabel: 'Code from the SMS',
  codeHint: digits => `${digits} digits`,
  signInButton: 'Sign in',
  resendButton: 'Send the code again',
  resent: 'A new code is on its way. The previous one no longer works.',
  changeNumber: 'Use another number',
  profileTitle: 'Your profile',
  accountHeading: 'Account',
  phoneTerm: 'Phone',
  pointsTerm: 'Points',
  notSet: 'not set',
  inviteHeading: 'Invite friends',
  inviteIntro: (inviteePoints, inviterPoints) => `Share your code or link. When a friend activates it, they get ${inviteePoints} points and you get ${inviterPoints}.`,
  yourCodeLabel: 'Your referral code',
  shareLinkLabel: 'Your invitation link',
  copy: 'Copy',
  copyButton: what => `Copy ${what}`,
  copied: 'Copied',
  inviterHeading: 'Who invited you',
  inviterActivated: code => `You activated the code ${code}.`,
  inviterLabel: 'Inviter\'s referral code',
  inviterHint: '6 letters and digits. You can activate one code, once.',
  activateButton: 'Activate',
  referralsHeading: count => `Your referrals (${count})`,
  noReferrals: 'No one has used your code yet.',
  referralJoined: date => `joined ${date}`,
  pendingTerm: 'Pending',
  pendingForEvent: (points, days) => `${points} points wait for your first qualifying action, and are dropped after ${days} days without it.`,
  pendingForReview: points => `${points} points wait for a routine check of the invitation.`,
  referralState: {
    pending: 'reward pending',
    capped: 'over the invitation limit, no reward',
    voided: 'reward cancelled',
  },
  olderReferrals: 'Older referrals',
  newestReferrals: 'Back to the newest',
  editHeading: 'Edit your details',
  firstNameLabel: 'First name',
  lastNameLabel: 'Last name',
  emailLabel: 'Email',
  emailHint: 'Leave empty to remove it.',
  saveButton: 'Save',
  saved: 'Your details are saved.',
  activated: 'The code is activated: the points are yours.',
  activatedPending: 'The code is activated: your points are pending.',
  signOutButton: 'Sign out',
  errorSummary: 'Please correct the following:',
  invalidPhone: 'Enter a phone number with the country code, for example +7 912 345-67-89.',
  invalidCode: digits => `Enter the ${digits}-digit code from the SMS.`,
  wrongCode: 'This code is wrong or has expired. Check it, or send a new one.',
  tooManyCodeAttempts: 'Too many wrong codes. Send yourself a new code.',
  resendIn: seconds => `You can ask for a new code in ${englishWait(seconds)}.`,
  tooManyRequests: seconds => `Too many attempts. Try again in ${englishWait(seconds)}.`,
  smsFailed: 'We could not send the SMS just now. Please try again.',
  codeCheckFailed: 'We could not check the code just now. Please try again.',
  noTelegramAccount: 'This number has no Telegram account.',
  notTextable: 'We send codes to mobile numbers only. Enter your mobile number.',
  humanCheckFailed: 'Complete the check below, then send the form again.',
  invalidName: 'Use at most 150 characters, without line breaks or control characters.',
  invalidEmail: 'Enter an email address like name@example.com.',
  invalidReferralCode: 'A referral code is 6 letters and digits, like K7WQ3M.',
  referralCodeNotFound: 'No one has this code. Check it and try again.',
  ownReferralCode: 'This is your own code. Enter the code of the person who invited you.',
  referralAlreadyActivated: 'You have already activated a code; it can be done only once.',
  referralCycle: 'This code belongs to someone you invited, so it cannot be used.',
  referralFlagged: 'This activation looks like a self-referral, so it was not accepted. If you were really invited, contact support.',
  invalidField: 'This value is not valid.',
  unavailable: 'The service is temporarily unavailable. Please try again in a moment.',
  badRequest: 'We could not read what was sent. Go back, reload the page and try again.',
  unexpected: 'Something went wrong on our side. Please try again.',
  requestId: id => `If it keeps happening, tell us this number: ${id}`,
  forbiddenTitle: 'The form could not be sent',
  forbidden: 'The form was sent from another site or an outdated page. Go back, reload the page and try again.',
  notFoundTitle: 'Page not found',
  notFound: 'There is no page at this address.',
  errorTitle: 'Something went wrong',
  backToStart: 'Go to the sign-in page',
  attemptsLeft: count => count === 1
    ? '1 attempt left.'
    : `${count} attempts left.`,
  invitationWaiting: (code, points) => `You came with an invitation: activate the code ${code} and get ${points} points.`,
  inviterIntro: points => `Got a code from a friend? Activate it and get ${points} points.`,
  sessionsHeading: 'Your devices',
  thisDevice: 'this browser',
  unknownDevice: 'Unknown device',
  sessionLastUsed: when => `last used ${when}`,
  endSessionButton: 'Sign out there',
  sessionEnded: 'That device is signed out.',
  endOtherSessionsButton: 'Sign out all other devices',
  otherSessionsEnded: 'Every other device is signed out. You stay signed in here.',
  phoneChangeHeading: 'Change your phone number',
  phoneChangeIntro: 'We text a code to the new number. Your points and referral code stay; other devices are signed out.',
  newPhoneLabel: 'New phone number',
  phoneChangeSendButton: 'Text a code to the new number',
  phoneChangeCodeHint: phone => `We sent it to ${phone}.`,
  phoneChangeButton: 'Change the number',
  phoneChanged: 'Your phone number is changed. Other devices are signed out.',
  phoneNumberTaken: 'Another account uses this number.',
  deleteHeading: 'Delete your account',
  deleteIntro: 'Your profile, points and sessions are deleted for good. People you invited keep their points. To confirm, we text a code to your number.',
  deleteSendCodeButton: 'Text me a code to delete my account',
  deleteCodeLabel: 'Code from the SMS',
  deleteCodeHint: 'We sent it to your number just now.',
  deleteButton: 'Delete my account',
  accountDeleted: 'Your account is deleted. You can sign up again with your number at any time, as a new user.',
  signOutEverywhereIntro: 'Signed in on a phone or computer you no longer use? Sign out everywhere, and every device has to sign in again.',
  signOutEverywhereButton: 'Sign out everywhere',
  signedOutTitle: 'You are signed out',
  signedOut: 'You are signed out on this device.',
  signedOutEverywhere: accessSeconds => `You are signed out on every device. A page already open elsewhere stops working within ${englishWait(accessSeconds)}.`,
  signInAgain: 'Sign in again',
}

const ru: Messages = {
  languageName: 'Русский',
  serviceName: 'Phone Auth',
  skipToContent: 'К содержимому',
  languageSwitch: 'Язык',
  sendCodeTitle: 'Вход',
  sendCodeIntro: 'Введите номер телефона, и мы пришлём код для входа. Впервые здесь? Тот же код создаст вам аккаунт.',
  phoneLabel: 'Номер телефона',
  phoneHint: 'С кодом страны, например +7 912 345-67-89',
  sendCodeButton: 'Получить код',
  invitedBy: code => `Вас пригласили с кодом ${code}. После входа активируйте его на странице профиля и получите бонус.`,
  verifyTitle: 'Введите код',
  codeSentTo: phone => `Мы отправили код для входа на номер ${phone}.`,
  codeLabel: 'Код из SMS',
  codeHint: digits => russianPlural(digits, 'цифра', 'цифры', 'цифр'),
  signInButton: 'Войти',
  resendButton: 'Отправить код ещё раз',
  resent: 'Новый код уже в пути. Предыдущий больше не действует.',
  changeNumber: 'Указать другой номер',
  profileTitle: 'Ваш профиль',
  accountHeading: 'Аккаунт',
  phoneTerm: 'Телефон',
  pointsTerm: 'Баллы',
  notSet: 'не указано',
  inviteHeading: 'Пригласите друзей',
  inviteIntro: (inviteePoints, inviterPoints) => `Поделитесь кодом или ссылкой. Когда друг активирует код, он получит ${russianPlural(inviteePoints, 'балл', 'балла', 'баллов')}, а вы — ${russianPlural(inviterPoints, 'балл', 'балла', 'баллов')}.`,
  yourCodeLabel: 'Ваш реферальный код',
  shareLinkLabel: 'Ваша ссылка-приглашение',
  copy: 'Копировать',
  copyButton: what => `Копировать: ${what}`,
  copied: 'Скопировано',
  inviterHeading: 'Кто вас пригласил',
  inviterActivated: code => `Вы активировали код ${code}.`,
  inviterLabel: 'Реферальный код пригласившего',
  inviterHint: '6 букв и цифр. Активировать можно один код, один раз.',
  activateButton: 'Активировать',
  referralsHeading: count => `Ваши рефералы (${count})`,
  noReferrals: 'Вашим кодом ещё никто не воспользовался.',
  referralJoined: date => `с нами с ${date}`,
  pendingTerm: 'Ожидают',
  pendingForEvent: (points, days) => `${russianPlural(points, 'балл ждёт', 'балла ждут', 'баллов ждут')} вашего первого целевого действия и сгорят, если его не будет ${russianPlural(days, 'день', 'дня', 'дней')}.`,
  pendingForReview: points => `${russianPlural(points, 'балл ждёт', 'балла ждут', 'баллов ждут')} обычной проверки приглашения.`,
  referralState: {
    pending: 'награда ожидает',
    capped: 'сверх лимита приглашений, без награды',
    voided: 'награда отменена',
  },
  olderReferrals: 'Более ранние',
  newestReferrals: 'К самым новым',
  editHeading: 'Изменить данные',
  firstNameLabel: 'Имя',
  lastNameLabel: 'Фамилия',
  emailLabel: 'Эл. почта',
  emailHint: 'Оставьте пустым, чтобы удалить адрес.',
  saveButton: 'Сохранить',
  saved: 'Данные сохранены.',
  activated: 'Код активирован: баллы начислены.',
  activatedPending: 'Код активирован: баллы ожидают начисления.',
  signOutButton: 'Выйти',
  errorSummary: 'Исправьте, пожалуйста:',
  invalidPhone: 'Введите номер с кодом страны, например +7 912 345-67-89.',
  invalidCode: digits => `Введите код из SMS: ${russianPlural(digits, 'цифра', 'цифры', 'цифр')}.`,
  wrongCode: 'Код неверный или устарел. Проверьте его или запросите новый.',
  tooManyCodeAttempts: 'Слишком много неверных попыток. Запросите новый код.',
  resendIn: seconds => `Новый код можно запросить через ${russianWait(seconds)}.`,
  tooManyRequests: seconds => `Слишком много попыток. Попробуйте снова через ${russianWait(seconds)}.`,
  smsFailed: 'Не удалось отправить SMS. Попробуйте ещё раз.',
  codeCheckFailed: 'Не удалось проверить код. Попробуйте ещё раз.',
  noTelegramAccount: 'У этого номера нет аккаунта в Telegram.',
  notTextable: 'Коды приходят только на мобильные номера. Введите номер мобильного.',
  humanCheckFailed: 'Пройдите проверку ниже и отправьте форму ещё раз.',
  invalidName: 'Не больше 150 символов, без переносов строк и управляющих символов.',
  invalidEmail: 'Введите адрес вида name@example.com.',
  invalidReferralCode: 'Реферальный код — это 6 букв и цифр, например K7WQ3M.',
  referralCodeNotFound: 'Такого кода ни у кого нет. Проверьте его и попробуйте снова.',
  ownReferralCode: 'Это ваш собственный код. Введите код того, кто вас пригласил.',
  referralAlreadyActivated: 'Вы уже активировали код; это можно сделать только один раз.',
  referralCycle: 'Это код человека, которого пригласили вы, — его использовать нельзя.',
  referralFlagged: 'Активация похожа на приглашение самого себя, поэтому не принята. Если вас правда пригласили, напишите в поддержку.',
  invalidField: 'Недопустимое значение.',
  unavailable: 'Сервис временно недоступен. Попробуйте чуть позже.',
  badRequest: 'Не удалось разобрать отправленные данные. Вернитесь, обновите страницу и попробуйте снова.',
  unexpected: 'У нас что-то пошло не так. Попробуйте ещё раз.',
  requestId: id => `Если ошибка повторится, сообщите нам этот номер: ${id}`,
  forbiddenTitle: 'Форму не удалось отправить',
  forbidden: 'Форма отправлена с другого сайта или с устаревшей страницы. Вернитесь, обновите страницу и попробуйте снова.',
  notFoundTitle: 'Страница не найдена',
  notFound: 'По этому адресу ничего нет.',
  errorTitle: 'Что-то пошло не так',
  backToStart: 'На страницу входа',
  attemptsLeft: (count) => {
    const attempts = russianPlural(count, 'попытка', 'попытки', 'попыток')
    return new Intl.PluralRules('ru').select(count) === 'one'
      ? `Осталась ${attempts}.`
      : `Осталось ${attempts}.`
  },
  invitationWaiting: (code, points) => `Вы пришли по приглашению: активируйте код ${code} и получите ${russianPlural(points, 'балл', 'балла', 'баллов')}.`,
  inviterIntro: points => `Друг дал вам код? Активируйте его и получите ${russianPlural(points, 'балл', 'балла', 'баллов')}.`,
  sessionsHeading: 'Ваши устройства',
  thisDevice: 'этот браузер',
  unknownDevice: 'Неизвестное устройство',
  sessionLastUsed: when => `последний вход ${when}`,
  endSessionButton: 'Выйти на нём',
  sessionEnded: 'На том устройстве выполнен выход.',
  endOtherSessionsButton: 'Выйти на всех других устройствах',
  otherSessionsEnded: 'На всех других устройствах выполнен выход. Здесь вы остаётесь в аккаунте.',
  phoneChangeHeading: 'Сменить номер телефона',
  phoneChangeIntro: 'Мы пришлём код на новый номер. Баллы и реферальный код сохранятся; на других устройствах будет выполнен выход.',
  newPhoneLabel: 'Новый номер телефона',
  phoneChangeSendButton: 'Прислать код на новый номер',
  phoneChangeCodeHint: phone => `Мы отправили его на ${phone}.`,
  phoneChangeButton: 'Сменить номер',
  phoneChanged: 'Номер телефона изменён. На других устройствах выполнен выход.',
  phoneNumberTaken: 'Этот номер уже используется другим аккаунтом.',
  deleteHeading: 'Удалить аккаунт',
  deleteIntro: 'Профиль, баллы и сеансы будут удалены навсегда. Приглашённые вами сохранят свои баллы. Для подтверждения мы пришлём код на ваш номер.',
  deleteSendCodeButton: 'Прислать код для удаления аккаунта',
  deleteCodeLabel: 'Код из SMS',
  deleteCodeHint: 'Мы только что отправили его на ваш номер.',
  deleteButton: 'Удалить аккаунт',
  accountDeleted: 'Аккаунт удалён. С этим номером можно в любой момент зарегистрироваться заново, как новый пользователь.',
  signOutEverywhereIntro: 'Вошли на телефоне или компьютере, которым больше не пользуетесь? Выйдите везде — и войти придётся заново на каждом устройстве.',
  signOutEverywhereButton: 'Выйти на всех устройствах',
  signedOutTitle: 'Вы вышли',
  signedOut: 'Вы вышли из аккаунта на этом устройстве.',
  signedOutEverywhere: accessSeconds => `Вы вышли из аккаунта на всех устройствах. Страница, уже открытая на другом устройстве, перестанет работать не позже чем через ${russianWait(accessSeconds)}.`,
  signInAgain: 'Войти снова',
}

export const MESSAGES: Record<Language, Messages> = { en, ru }
