// Copies the documentation readers' browser bundles from node_modules into the Worker's static assets
// (public/static/vendor/, git-ignored), so /docs/ and /redoc/ load nothing from a CDN and work offline.
// Runs on `npm install`/`npm ci` (prepare) and before dev, build and test. A file is written only when its content
// differs: a running `npm run dev` watches these assets and would reload on every rewrite (`npm test` runs this too).
import { Buffer } from 'node:buffer'
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const require = createRequire(import.meta.url)
const VENDOR_DIR = fileURLToPath(new URL('../public/static/vendor/', import.meta.url))

/** Per package: the files a browser needs (no source maps, no ES-module twins), and its licence. */
const BUNDLES = [
  {
    name: 'swagger-ui',
    packageName: 'swagger-ui-dist',
    files: [
      'swagger-ui-bundle.js',
      'swagger-ui.css',
      'LICENSE',
      'NOTICE',
    ],
  },
  {
    name: 'redoc',
    packageName: 'redoc',
    files: ['bundles/redoc.standalone.js', 'bundles/redoc.standalone.js.LICENSE.txt', 'LICENSE'],
  },
]

// The one remote resource in Redoc's bundle: the footer's "Redocly" logo image, shown unconditionally. An empty
// inline SVG stands in for it, so the page makes no request to a third party (and none that the CSP would block).
const REDOC_REMOTE_LOGO = 'https://cdn.redoc.ly/redoc/logo-mini.svg'
const EMPTY_SVG = 'data:image/svg+xml,%3Csvg xmlns=%22http://www.w3.org/2000/svg%22/%3E'

/** Target path → content, for every vendored file. */
const wanted = new Map<string, Buffer>()
for (const bundle of BUNDLES) {
  const packageDir = dirname(require.resolve(`${bundle.packageName}/package.json`))
  for (const file of bundle.files)
    wanted.set(join(VENDOR_DIR, bundle.name, file.split('/').at(-1)!), readFileSync(join(packageDir, file)))
}
const redoc = join(VENDOR_DIR, 'redoc', 'redoc.standalone.js')
wanted.set(redoc, Buffer.from(wanted.get(redoc)!.toString('utf8').replaceAll(REDOC_REMOTE_LOGO, EMPTY_SVG)))

for (const [path, content] of wanted) {
  if (existsSync(path) && readFileSync(path).equals(content))
    continue
  mkdirSync(dirname(path), { recursive: true })
  writeFileSync(path, content)
}
// Files left from an older set of bundles would still be served.
for (const entry of readdirSync(VENDOR_DIR, { recursive: true, withFileTypes: true })) {
  const path = join(entry.parentPath, entry.name)
  if (entry.isFile() && !wanted.has(path))
    rmSync(path)
}
