// Headless Chromium from Debian (test/browser/support/chromium-path.ts) driven by playwright-core, which downloads no
// browser of its own. Pages may reach only the app on 127.0.0.1: anything else is aborted and recorded, so a page
// that quietly depended on a CDN fails its test, as it would for a person offline.
import type { Browser, BrowserContext, BrowserContextOptions, Locator, Page } from 'playwright-core'
import { existsSync, mkdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { chromium } from 'playwright-core'
import { CHROMIUM_PATH, INSTALL_CHROMIUM } from './chromium-path'

const SCREENSHOTS = fileURLToPath(new URL('../../../test-results/screenshots/', import.meta.url))

export const DESKTOP = { width: 1280, height: 800 }
export const PHONE = { width: 390, height: 844 }

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH))
    throw new Error(`The browser tests need Chromium at ${CHROMIUM_PATH}: ${INSTALL_CHROMIUM}.`)
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
    ],
  })
}

export interface Person {
  context: BrowserContext
  page: Page
  /** Requests the page tried to make to anywhere but the app. */
  blockedRequests: string[]
  /** Content-Security-Policy violations the page reported. */
  cspViolations: string[]
}

/** A person with their own browser profile (cookies, storage), offline except for the app. */
export async function newPerson(browser: Browser, options: BrowserContextOptions = {}): Promise<Person> {
  const context = await browser.newContext({ viewport: DESKTOP, locale: 'en-US', ...options })
  const blockedRequests: string[] = []
  const cspViolations: string[] = []
  await context.route('**/*', (route) => {
    const url = new URL(route.request().url())
    if (url.hostname === '127.0.0.1')
      return route.continue()
    blockedRequests.push(url.href)
    return route.abort('internetdisconnected')
  })
  const page = await context.newPage()
  page.on('console', (message) => {
    if (message.text().includes('Content Security Policy'))
      cspViolations.push(message.text())
  })
  return {
    context,
    page,
    blockedRequests,
    cspViolations,
  }
}

/**
 * Screenshots at 1280 and 390 px wide (test-results/screenshots/, git-ignored), checking on the way that nothing is
 * wider than the 390 px phone screen. The viewport is restored afterwards. JPEG, which costs Chromium far less to
 * encode than PNG; the whole page unless `fullPage` is false.
 */
export async function screenshots(page: Page, name: string, options: { checkPhoneWidth?: boolean, fullPage?: boolean } = {}): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true })
  const viewport = page.viewportSize()
  for (const [size, dimensions] of [
    ['1280px', DESKTOP],
    ['390px', PHONE],
  ] as const) {
    await page.setViewportSize(dimensions)
    if (size === '390px' && options.checkPhoneWidth !== false) {
      const width = await page.evaluate(() => document.documentElement.scrollWidth)
      if (width > PHONE.width)
        throw new Error(`${name} is ${width} px wide on a ${PHONE.width} px screen.`)
    }
    await page.screenshot({ path: `${SCREENSHOTS}${name}-${size}.jpeg`, fullPage: options.fullPage !== false, quality: 80 })
  }
  if (viewport)
    await page.setViewportSize(viewport)
}

// Reading a page the way the tests assert on it (with vitest's expect.poll retrying until the page settles).

/** The element's text with whitespace collapsed, as a person reads it. */
export async function textOf(locator: Locator): Promise<string> {
  return (await locator.textContent() ?? '').replace(/\s+/g, ' ').trim()
}

/** What a screen reader announces with a control besides its name: the texts its aria-describedby points to. */
export async function descriptionOf(locator: Locator): Promise<string> {
  return locator.evaluate(element => (element.getAttribute('aria-describedby') ?? '')
    .split(' ')
    .map(id => document.getElementById(id)?.textContent?.trim() ?? '')
    .filter(Boolean)
    .join(' '))
}

export async function isFocused(locator: Locator): Promise<boolean> {
  return locator.evaluate(element => element === document.activeElement)
}
