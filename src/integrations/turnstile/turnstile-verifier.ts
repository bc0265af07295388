import { HumanCheckUnavailable } from '../../lib/errors'

/** Where the widget's script and frames come from: the pages' CSP admits this origin when Turnstile is on. */
export const TURNSTILE_ORIGIN = 'https://challenges.cloudflare.com'
export const TURNSTILE_SCRIPT = `${TURNSTILE_ORIGIN}/turnstile/v0/api.js`

export interface HumanCheck {
  /** Whether the token is a fresh, unused pass of the challenge shown to this client. */
  verify: (token: string, remoteIp: string | undefined) => Promise<boolean>
}

export interface TurnstileOptions {
  apiBaseUrl: string
  secretKey: string
  timeoutMs: number
}

/** Cloudflare Turnstile's server-side check: https://developers.cloudflare.com/turnstile/get-started/server-side-validation/ */
export function turnstileVerifier(options: TurnstileOptions): HumanCheck {
  const url = `${options.apiBaseUrl.replace(/\/+$/, '')}/turnstile/v0/siteverify`
  return {
    async verify(token, remoteIp) {
      const form = new URLSearchParams({ secret: options.secretKey, response: token })
      if (remoteIp)
        form.set('remoteip', remoteIp)
      let response: Response
      try {
        response = await fetch(url, {
          method: 'POST',
          body: form,
          signal: AbortSignal.timeout(options.timeoutMs),
        })
      }
      catch (error) {
        throw new HumanCheckUnavailable('The human check could not be completed; please try again.', { cause: error })
      }
      const outcome = await response.json<{ 'success'?: unknown, 'error-codes'?: unknown }>().catch(() => null)
      if (!response.ok || typeof outcome?.success !== 'boolean') {
        throw new HumanCheckUnavailable('The human check could not be completed; please try again.', {
          cause: new Error(`Turnstile answered HTTP ${response.status}`),
        })
      }
      return outcome.success
    },
  }
}
