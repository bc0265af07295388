import type { AppOpenAPI } from '../../lib/types'
import { swaggerUI } from '@hono/swagger-ui'
import { html } from 'hono/html'
import packageJson from '../../../package.json' with { type: 'json' }

export const OPENAPI_PATH = '/openapi.json'

/** Publishes the OpenAPI 3.1 document generated from the routes' zod schemas, and two readers for it. */
export function registerDocs(app: AppOpenAPI) {
  app.openAPIRegistry.registerComponent('securitySchemes', 'bearerAuth', {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description: 'The `access` token from verify_sms or refresh.',
  })

  app.doc31(OPENAPI_PATH, c => ({
    openapi: '3.1.0',
    info: {
      title: 'Phone Auth API',
      version: packageJson.version,
      description: 'Sign in with a phone number and a one-time SMS code; invite others with your referral code. Errors are RFC 9457 problem details (`application/problem+json`).',
    },
    servers: [
      { url: new URL(c.req.url).origin },
    ],
  }))

  app.get('/docs/', swaggerUI({ url: OPENAPI_PATH, title: 'Phone Auth API — Swagger UI', persistAuthorization: true }))
  app.get('/redoc/', c => c.html(html`<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>Phone Auth API — Redoc</title>
  </head>
  <body>
    <redoc spec-url="${OPENAPI_PATH}"></redoc>
    <script src="https://cdn.redoc.ly/redoc/v2.5.0/bundles/redoc.standalone.js"></script>
  </body>
</html>`))
  app.get('/', c => c.redirect('/docs/'))
}
