// A browser's part in the web interface tests that run inside workerd: a cookie jar honouring Path and Max-Age,
// form posts that carry the Origin a browser sends, and no automatic redirects, so each step can be checked.
import { expect } from 'vitest'
import { BASE_URL, fetchWorker, lastCodeSentTo } from './helpers'

export interface PageResponse {
  status: number
  headers: Headers
  html: string
  /** The Location of a redirect, as a path. */
  location?: string
}

interface StoredCookie {
  value: string
  path: string
}

export class WebClient {
  readonly cookies = new Map<string, StoredCookie>()
  /** Every Set-Cookie header received, for checking their attributes. */
  readonly setCookies: string[] = []

  constructor(readonly origin = BASE_URL, readonly headers: Record<string, string> = {}, readonly env?: Env) {}

  get(path: string, headers: Record<string, string> = {}): Promise<PageResponse> {
    return this.request('GET', path, undefined, headers)
  }

  /** A form submitted from one of our pages: the browser sends Origin and Sec-Fetch-Site with it. */
  post(path: string, fields: Record<string, string>, headers: Record<string, string> = {}): Promise<PageResponse> {
    return this.request('POST', path, new URLSearchParams(fields), {
      'Origin': this.origin,
      'Sec-Fetch-Site': 'same-origin',
      ...headers,
    })
  }

  async request(method: string, path: string, body: URLSearchParams | undefined, extraHeaders: Record<string, string>): Promise<PageResponse> {
    const url = new URL(path, this.origin)
    const headers = new Headers({
      ...this.headers,
      ...extraHeaders,
    })
    const cookie = [...this.cookies].filter(([, stored]) => url.pathname.startsWith(stored.path)).map(([name, stored]) => `${name}=${stored.value}`).join('; ')
    if (cookie)
      headers.set('Cookie', cookie)
    if (body)
      headers.set('Content-Type', 'application/x-www-form-urlencoded')
    const response = await fetchWorker(new Request(url, {
      method,
      headers,
      body,
      redirect: 'manual',
    }), this.env)
    for (const header of response.headers.getSetCookie())
      this.store(header)
    const location = response.headers.get('Location') ?? undefined
    return {
      status: response.status,
      headers: response.headers,
      html: await response.text(),
      location,
    }
  }

  cookie(name: string): string | undefined {
    return this.cookies.get(name)?.value
  }

  private store(header: string): void {
    this.setCookies.push(header)
    const [pair = '', ...attributes] = header.split(';').map(part => part.trim())
    const [name = '', ...value] = pair.split('=')
    const attribute = (key: string) => attributes.find(part => part.toLowerCase().startsWith(`${key.toLowerCase()}=`))?.split('=')[1]
    if (attribute('Max-Age') === '0') {
      this.cookies.delete(name)
    }
    else {
      this.cookies.set(name, {
        value: value.join('='),
        path: attribute('Path') ?? '/',
      })
    }
  }

  /** The newest Set-Cookie for `name`. */
  setCookie(name: string): string | undefined {
    return this.setCookies.findLast(header => header.startsWith(`${name}=`))
  }
}

/** Signs in through the web forms (registering the number the first time) and returns the client holding the session. */
export async function webSignIn(phone: string, client = new WebClient()): Promise<WebClient> {
  const sent = await client.post('/users/web/auth/send_sms/', { phone_number: phone })
  expect(sent.status, sent.html).toBe(303)
  const verified = await client.post('/users/web/auth/verify_sms/', { sms_code: await lastCodeSentTo(phone) })
  expect(verified.status, verified.html).toBe(303)
  expect(verified.location).toMatch(/^\/users\/web\/profile\//)
  return client
}

/** The text of the element with this id (tags removed, whitespace collapsed). */
export function textOf(html: string, id: string): string | undefined {
  const match = new RegExp(`<(\\w+)[^>]*\\bid="${id}"[^>]*>([\\s\\S]*?)</\\1>`).exec(html)
  return match?.[2]!.replace(/<[^>]+>/g, '').replace(/\s+/g, ' ').trim()
}

/** The attributes of the input with this id. */
export function inputWithId(html: string, id: string): string | undefined {
  return new RegExp(`<input[^>]*\\bid="${id}"[^>]*>`).exec(html)?.[0]
}
