// What every browser test file shares: an app server for its settings and Chromium, started by the first file that
// needs them and closed after the last (test/support/after-all-files.ts); a fresh browser profile per person; and
// after each test the check that no page reached beyond the app or broke its Content-Security-Policy.
import type { Browser, BrowserContextOptions, Page } from 'playwright-core'
import type { AppServer } from './app-server'
import type { Person } from './chromium'
import { afterEach, beforeAll, expect } from 'vitest'
import { afterAllFiles } from '../../support/after-all-files'
import { startAppServer } from './app-server'
import { launchChromium, newPerson } from './chromium'

export interface BrowserSuite {
  app: () => AppServer
  /** A new person (own cookies and storage) with one page open. */
  person: (options?: BrowserContextOptions) => Promise<Page>
}

const running = new Map<string, () => Promise<unknown>>()

/** One resource per key for every file of the run: started when a file first asks for it, closed after the last. */
function shared<T>(key: string, start: () => Promise<T>, close: (resource: T) => Promise<void>): () => Promise<T> {
  let get = running.get(key) as (() => Promise<T>) | undefined
  if (!get) {
    let started: Promise<T> | undefined
    get = () => started ??= start()
    running.set(key, get)
    afterAllFiles(async () => {
      running.delete(key)
      // A resource that failed to start has failed the tests that asked for it already.
      const resource = await started?.catch(() => undefined)
      if (resource !== undefined)
        await close(resource)
    })
  }
  return get
}

/** `vars` change the app server's settings (see startAppServer); files with the same ones share a server. */
export function browserSuite(vars: Record<string, string> = {}): BrowserSuite {
  const appServer = shared(`app server ${JSON.stringify(vars)}`, () => startAppServer(vars), server => server.close())
  const chromium = shared('Chromium', launchChromium, browser => browser.close())
  let app: AppServer | undefined
  let browser: Browser | undefined
  const people: Person[] = []

  beforeAll(async () => {
    ;[app, browser] = await Promise.all([
      appServer(),
      chromium(),
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
