// A session is shown to its user as "Chrome on Android": enough to recognise their own devices, too coarse to
// fingerprint anyone. Only the label is stored, never the User-Agent (which with versions and models nearly names
// a device), and never an address.

const BROWSERS: [RegExp, string][] = [
  // Order matters: Edge, Opera and Samsung Internet also say "Chrome", and every Chromium says "Safari".
  [/\bEdg(?:e|A|iOS)?\//, 'Edge'],
  [/\bOPR\/|\bOpera\b/, 'Opera'],
  [/\bSamsungBrowser\//, 'Samsung Internet'],
  [/\bYaBrowser\//, 'Yandex Browser'],
  [/\bFirefox\/|\bFxiOS\//, 'Firefox'],
  // Headless Chromium (automated browsers, tests) says HeadlessChrome.
  [/\b(?:Headless)?Chrome\/|\bCriOS\//, 'Chrome'],
  [/\bSafari\//, 'Safari'],
]

const SYSTEMS: [RegExp, string][] = [
  [/\bAndroid\b/, 'Android'],
  [/\b(?:iPhone|iPad|iPod)\b/, 'iOS'],
  [/\bCrOS\b/, 'ChromeOS'],
  [/\bWindows\b/, 'Windows'],
  [/\bMac OS X\b|\bMacintosh\b/, 'macOS'],
  [/\bLinux\b/, 'Linux'],
]

/** A User-Agent is attacker-controlled and unbounded; the families it can name sit in its first few hundred chars. */
const MAX_INSPECTED = 512

/** "Chrome on Android", "Safari on iOS", "Android"; null for a User-Agent that names neither (a native app's, say). */
export function deviceLabel(userAgent: string | undefined): string | null {
  if (!userAgent)
    return null
  const text = userAgent.slice(0, MAX_INSPECTED)
  const browser = BROWSERS.find(([pattern]) => pattern.test(text))?.[1]
  const system = SYSTEMS.find(([pattern]) => pattern.test(text))?.[1]
  if (browser && system)
    return `${browser} on ${system}`
  return browser ?? system ?? null
}
