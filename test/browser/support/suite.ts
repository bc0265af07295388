// What every browser test file shares: one app server and one Chromium for the file, a fresh browser profile per
// person, and after each test the check that no page reached beyond the app or broke its Content-Security-Policy.
import type { Browser, BrowserContextOptions, Page } from 'playwright-core'
import type { AppServer } from './app-server'
import type { Person } from './chromium'
import { afterAll, afterEach, beforeAll, expect } from 'vitest'
import { startAppServer } from './app-server'
import { launchChromium, newPerson } from './chromium'

export interface BrowserSuite {
  app: () => AppServer
  /** A new person (own cookies and storage) with one page open. */
  person: (options?: BrowserContextOptions) => Promise<Page>
}

/** `vars` change the app server's settings for the whole file (see startAppServer). */
export function browserSuite(vars: Record<string, string> = {}): BrowserSuite {
  let app: AppServer | undefined
  let browser: Browser | undefined
  const people: Person[] = []

  beforeAll(async () => {
    ;[app, browser] = await Promise.all([
      startAppServer(vars),
      launchChromium(),
    ])
  })

  afterEach(async () => {
    const finished = people.splice(0)
    await Promise.all(finished.map(person => person.context.close()))
    for (const person of finished) {
      expect(person.blockedRequests, 'requests to other hosts').toEqual([])
      expect(person.cspViolations, 'Content-Security-Policy violations').toEqual([])
    }
  })

  afterAll(async () => {
    await browser?.close()
    await app?.close()
  })

  return {
    app: () => app!,
    async person(options) {
      const someone = await newPerson(browser!, options)
      someone.page.setDefaultTimeout(15_000)
      people.push(someone)
      return someone.page
    },
  }
}
