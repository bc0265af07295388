import type { CodeOwner, ProviderVerdict } from './code-sender'
import type { ProviderFailure } from './provider-request'
import { CodeCheckFailed } from '../../lib/errors'
import { RecipientRefused } from './code-sender'
import { basicAuthorization, deliveryFailed, jsonBody, postToProvider, twilioApiUrl } from './provider-request'

export interface TwilioVerifyOptions {
  apiBaseUrl: string
  accountSid: string
  authToken: string
  serviceSid: string
  channel: 'sms' | 'whatsapp'
  androidAppHash?: string
  timeoutMs: number
}

/** Twilio's error codes that say something about the recipient rather than about Twilio being unwell. */
const REFUSALS: Record<number, RecipientRefused['reason']> = {
  60200: 'invalid_number',
  60205: 'invalid_number', // a landline, which cannot receive SMS
  60203: 'too_many_sends',
  60410: 'fraud_blocked',
}

const checkFailed: ProviderFailure = (detail, cause) => new CodeCheckFailed(`The SMS provider ${detail}, so the code could not be checked; please try again.`, { cause })

interface TwilioAnswer {
  sid: string
  status: string
  code: number
}

/**
 * Twilio Verify v2 (https://www.twilio.com/docs/verify/api): Twilio makes the code, texts it in the Verify service's
 * template (in `Locale`) and checks it, with its Fraud Guard on sends. A verification started for a number that has
 * one pending gets the same code again, and a check by `To` asks about the number's pending one. A verification that
 * had all its checks is cancelled by its SID, since Twilio would otherwise resend it, unusable, until it expires.
 */
export function twilioVerify(options: TwilioVerifyOptions): CodeOwner {
  const service = `/v2/Services/${encodeURIComponent(options.serviceSid)}`
  const post = (path: string, form: Record<string, string>, fail: ProviderFailure) => postToProvider({
    url: twilioApiUrl(options.apiBaseUrl, `${service}${path}`),
    headers: {
      'Authorization': basicAuthorization(options.accountSid, options.authToken),
      'Content-Type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams(form),
    timeoutMs: options.timeoutMs,
  }, fail)
  // Only Twilio's numeric code reaches the log: its message text can quote the full phone number.
  const answered = (response: Response, answer: Partial<TwilioAnswer> | null) =>
    new Error(`Twilio Verify answered HTTP ${response.status}, error code ${String(answer?.code ?? 'none')}`)

  return {
    ownsCode: true,
    // Twilio's fixed cap (error 60202).
    maxChecks: 5,
    async send({ to, locale }) {
      const form: Record<string, string> = { To: to, Channel: options.channel, Locale: locale }
      if (options.androidAppHash && options.channel === 'sms')
        form.AppHash = options.androidAppHash
      const response = await post('/Verifications', form, deliveryFailed)
      const answer = await jsonBody<TwilioAnswer>(response)
      const refusal = REFUSALS[answer?.code ?? 0]
      if (!response.ok && refusal)
        throw new RecipientRefused(refusal, `Twilio ${answer!.code}`)
      if (!response.ok)
        throw deliveryFailed('refused the message', answered(response, answer))
      if (typeof answer?.sid !== 'string')
        throw deliveryFailed('gave an answer that could not be read', answered(response, answer))
      return answer.sid
    },
    async check(to, code): Promise<ProviderVerdict> {
      const response = await post('/VerificationCheck', { To: to, Code: code }, checkFailed)
      const answer = await jsonBody<TwilioAnswer>(response)
      // 20404: no pending verification (expired, approved already, or never started); 60202: five checks were made.
      if (answer?.code === 20404)
        return 'expired'
      if (answer?.code === 60202)
        return 'exhausted'
      // 60200: a code Twilio does not take (its length differs), which cannot be the right one.
      if (answer?.code === 60200)
        return 'wrong'
      if (!response.ok)
        throw checkFailed('failed', answered(response, answer))
      const verdict = ({
        approved: 'approved',
        pending: 'wrong',
        max_attempts_reached: 'exhausted',
        canceled: 'expired',
        expired: 'expired',
      } as const)[answer?.status as string]
      if (!verdict)
        throw checkFailed('gave an answer that could not be read', answered(response, answer))
      return verdict
    },
    async cancel(reference) {
      const response = await post(`/Verifications/${encodeURIComponent(reference)}`, { Status: 'canceled' }, deliveryFailed)
      // 20404: already gone (expired, approved or cancelled), which is what was wanted.
      const answer = await jsonBody<TwilioAnswer>(response)
      if (!response.ok && answer?.code !== 20404)
        throw deliveryFailed('did not cancel the verification', answered(response, answer))
    },
  }
}
