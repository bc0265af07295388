import type { Config } from '../../config'
import type { Channel } from './code-sender'
import type { Locale } from './locales'
import { smsSize } from './sms-segments'

export interface TextSettings {
  appName: string
  ttlSeconds: number
  /** The web origin's host for the origin-bound line (WebOTP; iOS and Android domain-bound codes). */
  webOtpDomain?: string
  /** Android SMS Retriever's 11-character app hash, which must end the message. */
  androidAppHash?: string
}

/** A channel's text settings: autofill reads SMS only, so a WhatsApp message keeps to the words. */
export function textSettings(config: Pick<Config, 'SMS_APP_NAME' | 'OTP_TTL_SECONDS' | 'WEB_OTP_DOMAIN' | 'SMS_ANDROID_APP_HASH'>, channel: Channel): TextSettings {
  return {
    appName: config.SMS_APP_NAME,
    ttlSeconds: config.OTP_TTL_SECONDS,
    ...channel === 'sms' && { webOtpDomain: config.WEB_OTP_DOMAIN, androidAppHash: config.SMS_ANDROID_APP_HASH },
  }
}

type Template = (code: string, appName: string, minutes: number) => string

/**
 * Each language's texts, longest first; the code comes first, so a preview shows it. The first that fits one SMS
 * with the autofill line is sent: a text split in parts costs more and autofill may miss it.
 */
const TEXTS: Record<Locale, Template[]> = {
  en: [
    (code, app, minutes) => `${code} is your ${app} sign-in code. It expires in ${minutes} min.`,
    (code, app) => `${code} is your ${app} sign-in code.`,
    code => `${code} is your sign-in code.`,
  ],
  ru: [
    (code, app, minutes) => `${code} — код входа в ${app}. Действует ${minutes} мин.`,
    (code, app) => `${code} — код входа в ${app}.`,
    code => `${code} — код входа.`,
  ],
}

/**
 * The last line carries what autofill reads: `@host #code` (the origin-bound one-time code format, which browsers
 * read from the last line and which tolerates what follows a space), then the app hash, which SMS Retriever wants
 * at the very end.
 */
function autofillLine(code: string, settings: TextSettings): string {
  const parts = [
    settings.webOtpDomain && `@${settings.webOtpDomain} #${code}`,
    settings.androidAppHash,
  ].filter(Boolean)
  return parts.length > 0
    ? `\n${parts.join(' ')}`
    : ''
}

const fitsOneSms = (text: string) => smsSize(text).segments === 1

/** The sign-in text in `locale`, or undefined when even the shortest would take more than one SMS. */
export function fittingSignInText(code: string, locale: Locale, settings: TextSettings): string | undefined {
  const minutes = Math.max(1, Math.round(settings.ttlSeconds / 60))
  const autofill = autofillLine(code, settings)
  return TEXTS[locale].map(template => template(code, settings.appName, minutes) + autofill).find(fitsOneSms)
}

/** The configuration is checked to fit (src/config.ts); the shortest text is the last resort. */
export function signInText(code: string, locale: Locale, settings: TextSettings): string {
  return fittingSignInText(code, locale, settings) ?? TEXTS[locale].at(-1)!(code, settings.appName, 0) + autofillLine(code, settings)
}
