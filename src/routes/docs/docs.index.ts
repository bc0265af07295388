import type { AppOpenAPI } from '../../lib/types'
import { version } from '../../../package.json'
import { redocSecurityHeaders, strictSecurityHeaders } from '../../middleware/security-headers'
import { redocPage, swaggerUiPage } from './docs.pages'

export const OPENAPI_PATH = '/openapi.json'

/** Publishes the OpenAPI 3.1 document generated from the routes' zod schemas, and two readers for it. */
export function registerDocs(app: AppOpenAPI) {
  app.openAPIRegistry.registerComponent('securitySchemes', 'bearerAuth', {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description: 'The `access` token from verify_sms or refresh.',
  })
  app.openAPIRegistry.registerComponent('securitySchemes', 'serverKey', {
    type: 'http',
    scheme: 'bearer',
    description: 'A server API key (`npm run keys:server`), for your backend only; user access tokens are refused.',
  })

  app.doc31(OPENAPI_PATH, c => ({
    openapi: '3.1.0',
    info: {
      title: 'Phone Auth API',
      version,
      description: 'Sign in with a phone number and a one-time SMS code; invite others with your referral code. Errors are RFC 9457 problem details (`application/problem+json`).',
    },
    servers: [
      { url: new URL(c.req.url).origin },
    ],
  }))

  app.get('/docs/', strictSecurityHeaders, c => c.html(swaggerUiPage(OPENAPI_PATH)))
  app.get('/redoc/', redocSecurityHeaders, c => c.html(redocPage(OPENAPI_PATH)))
  app.get('/', c => c.redirect('/docs/'))
}
