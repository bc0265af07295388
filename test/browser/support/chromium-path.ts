// Where the browser tests find Chromium. vitest.config.ts reads it too: without a browser there, the browser
// project is left out of the run (with a note saying so) unless CI or REQUIRE_BROWSER=1 demands it.
import { existsSync } from 'node:fs'
import process from 'node:process'

/**
 * Debian's headless shell first (apt-get install chromium-headless-shell): the same Blink as Chromium without the
 * desktop browser around it, which costs the browser tests a quarter less CPU. Otherwise Debian's full Chromium.
 */
const DEBIAN_BROWSERS = [
  '/usr/bin/chromium-headless-shell',
  '/usr/bin/chromium',
]

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || DEBIAN_BROWSERS.find(path => existsSync(path)) || DEBIAN_BROWSERS[0]!

export const INSTALL_CHROMIUM = 'apt-get install -y chromium-headless-shell (or chromium), or set CHROMIUM_PATH'
