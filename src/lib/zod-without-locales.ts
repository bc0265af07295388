// Bundling alias for `zod` (see wrangler.toml `alias`): zod's namespace exports `locales`, which pulls every
// language's error messages (~40 KiB gzipped) into the Worker even though the API writes its own messages.
// This module re-exports zod unchanged except for an empty `locales`.
import * as z from './zod-without-locales.ts'

export * as core from './zod-core-without-locales.ts'
export const locales = {}
export * from 'zod/v4'
export { z as default, z }
