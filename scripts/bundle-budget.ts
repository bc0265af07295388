// The production bundle's targets (issue 13): every new isolate at every location pays its size and its evaluation.
// Checked by scripts/check-bundle-size.ts (size) and reported by `npm run bench` (both).
export const BUNDLE_BUDGET_GZIP_BYTES = 220 * 1024
/** Parse, compile and top-level code of the bundle, as bench/handler-cpu.ts times its import in V8. */
export const BUNDLE_EVALUATION_TARGET_MS = 30
