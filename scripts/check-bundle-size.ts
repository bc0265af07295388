// Fails when the production bundle (from `npm run build`, in dist/) grows past the budget: cold starts grow with it.
// The budget is the benchmark's target; docs assets served as static assets do not count.
import { readFileSync } from 'node:fs'
import process from 'node:process'
import { gzipSync } from 'node:zlib'
import { BUNDLE_BUDGET_GZIP_BYTES } from './bundle-budget.ts'

const bundle = readFileSync(new URL('../dist/index.js', import.meta.url))
const gzipped = gzipSync(bundle, { level: 9 }).length
const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`
console.log(`Bundle: ${kib(bundle.length)} minified, ${kib(gzipped)} gzipped (budget ${kib(BUNDLE_BUDGET_GZIP_BYTES)}).`)
if (gzipped > BUNDLE_BUDGET_GZIP_BYTES) {
  console.error('The bundle is over its size budget: find what grew (npm run build -- --metafile dist/meta.json).')
  process.exit(1)
}
