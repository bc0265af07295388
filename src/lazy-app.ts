type App = typeof import('./app').default

let app: Promise<App> | undefined

/**
 * The app's routes, their zod schemas and OpenAPI definitions, the docs and the web pages are built on an isolate's
 * first request, not when the bundle is evaluated: every new isolate at every location pays the evaluation, and the
 * bundler keeps a dynamically imported module's top-level code until it is imported. Once per isolate.
 */
export const fetchApp: App['fetch'] = async (request, env, ctx) => {
  app ??= import('./app').then(module => module.default)
  return (await app).fetch(request, env, ctx)
}
