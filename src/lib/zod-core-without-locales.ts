// `zod/v4/core` without its `locales` namespace, for the same reason as ./zod-without-locales.ts.
export const locales = {}
export * from 'zod/v4/core'
