// Writes the OpenAPI document the Worker serves to openapi.json, so API changes show up in review.
// A test fails when the committed file and the served document differ: run `npm run openapi:write` and commit.
import { writeFileSync } from 'node:fs'

export const OPENAPI_FILE = new URL('../openapi.json', import.meta.url)

// Loaded by path so this Node script's type program stays apart from the Worker's (which has its own globals).
const appModule: string = '../src/app'
const { default: app } = await import(appModule) as { default: { request: (url: string) => Promise<Response> } }
const response = await app.request('http://localhost/openapi.json')
const { servers: _servers, ...document } = await response.json() as Record<string, unknown>
writeFileSync(OPENAPI_FILE, `${JSON.stringify(document, null, 2)}\n`)
console.log('Wrote openapi.json')
