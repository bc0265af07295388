// Where the browser tests find Chromium. vitest.config.ts reads it too: without a browser there, the browser
// project is left out of the run (with a note saying so) unless CI or REQUIRE_BROWSER=1 demands it.
import process from 'node:process'

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium'
