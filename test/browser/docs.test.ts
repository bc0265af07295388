// The API docs in Chromium with no internet: Swagger UI at /docs/ and Redoc at /redoc/ load everything from the
// Worker, list every operation of /openapi.json, break no rule of their Content-Security-Policy, and Swagger UI's
// "Authorize" and "Try it out" work against this same origin.
import { beforeAll, describe, expect, it } from 'vitest'
import { screenshots, textOf } from './support/chromium'
import { browserSuite } from './support/suite'

const { app: server, person: reader } = browserSuite()
let operations: { method: string, path: string, summary: string }[]

beforeAll(async () => {
  const document = await (await fetch(`${server().origin}/openapi.json`)).json() as {
    paths: Record<string, Record<string, { summary: string }>>
  }
  operations = Object.entries(document.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, operation]) => ({ method, path, summary: operation.summary })))
})

/** A signed-in user's access token, through the API as any client would get one. */
async function accessToken(phone: string): Promise<string> {
  const post = (path: string, body: unknown) => fetch(`${server().origin}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  })
  await post('/users/auth/send_sms/', { phone_number: phone })
  const signedIn = await (await post('/users/auth/verify_sms/', { phone_number: phone, sms_code: await server().lastCodeSentTo(phone) })).json() as { access: string }
  return signedIn.access
}

describe('api docs in Chromium, offline', () => {
  it('swagger UI at /docs/ lists every operation', async () => {
    const page = await reader()
    await page.goto(`${server().origin}/docs/`)
    const listed = page.locator('.opblock')
    await expect.poll(() => listed.count()).toBe(operations.length)
    for (const { method, path } of operations)
      await page.locator(`.opblock-${method} .opblock-summary-path[data-path="${path}"]`).waitFor()
    await screenshots(page, 'docs-swagger-ui', { checkPhoneWidth: false, fullPage: false })
  })

  it('swagger UI authorizes with a bearer token and tries an operation against this origin', async () => {
    const token = await accessToken('+79123456790')
    const page = await reader()
    await page.goto(`${server().origin}/docs/`)
    await page.getByRole('button', { name: /Authorize/ }).first().click()
    const dialog = page.locator('.modal-ux')
    // The dialog has a form per scheme: the user's access token goes into bearerAuth's, not the server key's.
    const userTokenForm = dialog.locator('form').filter({ hasText: 'bearerAuth' })
    await userTokenForm.locator('#auth-bearer-value').fill(token)
    await userTokenForm.getByRole('button', { name: 'Apply credentials' }).click()
    await userTokenForm.getByRole('button', { name: 'Close', exact: true }).click()

    const operation = page.locator('.opblock-get').filter({
      has: page.locator('[data-path="/users/profile/"]'),
    })
    await operation.locator('.opblock-summary-control').click()
    await operation.getByRole('button', { name: 'Try it out' }).click()
    await operation.getByRole('button', { name: 'Execute' }).click()
    const responseCode = operation.locator('.live-responses-table .response .response-col_status')
    await expect.poll(() => textOf(responseCode.first())).toBe('200')
    await expect.poll(() => textOf(operation.locator('.request-url'))).toContain(`${server().origin}/users/profile/`)
    await expect.poll(() => textOf(operation.locator('.live-responses-table .microlight').first())).toContain('"phone_number": "+79123456790"')
  })

  it('redoc at /redoc/ lists every operation', async () => {
    const page = await reader()
    await page.goto(`${server().origin}/redoc/`)
    const content = page.locator('.api-content')
    for (const { method, path, summary } of operations) {
      // In the side menu by its summary, and in the content as its method and path.
      await page.getByRole('menuitem', { name: summary, exact: true, includeHidden: true }).waitFor({ state: 'attached' })
      const endpoint = content.locator('button').filter({
        has: page.locator(`.http-verb.${method}`),
      })
      await endpoint.getByText(path, { exact: true }).first().waitFor({ state: 'attached' })
    }
    await screenshots(page, 'docs-redoc', { checkPhoneWidth: false, fullPage: false })
  })
})
