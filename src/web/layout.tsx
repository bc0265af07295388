import type { Child } from 'hono/jsx'
import type { Language, Messages } from './i18n'
import { LANGUAGES, MESSAGES } from './i18n'
import { SIGN_OUT_PATH } from './paths'

export interface PageContext {
  t: Messages
  language: Language
  /** This page's own address (a GET), which the language switch reloads in the other language. */
  canonical: string
  signedIn?: boolean
  /** Cloudflare Turnstile's site key where the deployment turns the check on: forms that send a code show it. */
  humanCheckSiteKey?: string
}

function languageUrl(canonical: string, language: Language): string {
  const url = new URL(canonical, 'http://page')
  url.searchParams.set('lang', language)
  return `${url.pathname}${url.search}`
}

/**
 * Every page's frame. Styles and the copy button's script are same-origin files: the CSP allows nothing inline.
 * The language switch links to the other languages only (the page is already in its own), so the header keeps
 * to one row on a phone; plain links, so it works without script too.
 */
export function Layout({ page, title, wide, children }: {
  page: PageContext
  title: string
  /** Room for two columns on a wide screen, instead of one column of reading width. */
  wide?: boolean
  children: Child
}) {
  const { t, language } = page
  return (
    <html lang={language}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${title} — ${t.serviceName}`}</title>
        <link rel="icon" href="/static/web/icon.svg" type="image/svg+xml" />
        <link rel="stylesheet" href="/static/web/app.css" />
        <script src="/static/web/copy.js" defer></script>
      </head>
      <body>
        <a class="skip-link" href="#main">{t.skipToContent}</a>
        <header class="site-header">
          <span class="brand">{t.serviceName}</span>
          <nav aria-label={t.languageSwitch}>
            <ul class="languages">
              {LANGUAGES.filter(other => other !== language).map(other => (
                <li>
                  <a href={languageUrl(page.canonical, other)} lang={other} hreflang={other}>
                    {MESSAGES[other].languageName}
                  </a>
                </li>
              ))}
            </ul>
          </nav>
          {page.signedIn && (
            <form method="post" action={SIGN_OUT_PATH} class="sign-out">
              <button type="submit" class="button-secondary">{t.signOutButton}</button>
            </form>
          )}
        </header>
        <main id="main" tabindex={-1} class={wide ? 'wide' : undefined}>
          <h1>{title}</h1>
          {children}
        </main>
      </body>
    </html>
  )
}
