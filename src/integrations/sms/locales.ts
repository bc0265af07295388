// The languages sign-in texts are written in, and which one a request gets.

export const LOCALES = ['en', 'ru'] as const
export type Locale = typeof LOCALES[number]

export const isLocale = (value: string): value is Locale => (LOCALES as readonly string[]).includes(value)

/** A tag's language ("ru-RU" → "ru"), if we write in it. */
function supported(tag: string): Locale | undefined {
  const language = tag.trim().split('-')[0]!.toLowerCase()
  return isLocale(language)
    ? language
    : undefined
}

/** The `Accept-Language` entries by preference (RFC 9110 §12.5.4); q=0 means "not this one". */
function preferred(acceptLanguage: string): string[] {
  return acceptLanguage.split(',')
    .map((entry, index) => {
      const [tag = '', ...params] = entry.split(';')
      const q = params.map(param => /^\s*q=([\d.]+)\s*$/i.exec(param)?.[1]).find(Boolean)
      return {
        tag,
        q: q === undefined
          ? 1
          : Number(q),
        index,
      }
    })
    .filter(entry => entry.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index)
    .map(entry => entry.tag)
}

/** The request's own `locale`, else the first language of `Accept-Language` we write in, else the deployment's. */
export function chooseLocale(requested: string | undefined, acceptLanguage: string | undefined, fallback: Locale): Locale {
  const candidates = [
    requested ?? '',
    ...preferred(acceptLanguage ?? ''),
  ]
  for (const candidate of candidates) {
    const locale = supported(candidate)
    if (locale)
      return locale
  }
  return fallback
}
