import { SmsDeliveryFailed } from '../../lib/errors'

export interface ProviderRequest {
  url: string
  headers: Record<string, string>
  body: string | URLSearchParams
  timeoutMs: number
}

/** How a failure of this call reaches the client: a send's and a check's are different problems. */
export type ProviderFailure = (detail: string, cause: unknown) => Error

export const deliveryFailed: ProviderFailure = (detail, cause) => new SmsDeliveryFailed(`The SMS provider ${detail}; please try again.`, { cause })

/** One POST to a provider, which must answer within the timeout. */
export async function postToProvider(request: ProviderRequest, fail: ProviderFailure): Promise<Response> {
  try {
    return await fetch(request.url, {
      method: 'POST',
      headers: { Accept: 'application/json', ...request.headers },
      body: request.body,
      signal: AbortSignal.timeout(request.timeoutMs),
    })
  }
  catch (error) {
    throw fail('did not answer in time', error)
  }
}

/** The body as JSON, or null for anything else (an HTML error page from a proxy in between). */
export const jsonBody = <T>(response: Response): Promise<Partial<T> | null> => response.json<Partial<T>>().catch(() => null)

export const basicAuthorization = (user: string, password: string) => `Basic ${btoa(`${user}:${password}`)}`

export const twilioApiUrl = (base: string, path: string) => `${base.replace(/\/+$/, '')}${path}`
