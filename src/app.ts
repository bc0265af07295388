import { createApp } from './lib/create-app'
import { authRouter } from './routes/auth/auth.index'
import { registerDocs } from './routes/docs/docs.index'
import { healthRouter } from './routes/health/health.index'
import { profileRouter } from './routes/profile/profile.index'
import { serverRouter } from './routes/server/server.index'
import { sessionsRouter } from './routes/sessions/sessions.index'
import { webRouter } from './routes/web/web.index'
import { jwksRouter } from './routes/well-known/jwks.index'

const app = createApp()
  .route('/', authRouter)
  .route('/', profileRouter)
  .route('/', sessionsRouter)
  .route('/', jwksRouter)
  .route('/', healthRouter)
  .route('/', serverRouter)

registerDocs(app)
// Mounted apart from the chain above: the web pages are HTML, not part of the API's type or its OpenAPI document.
app.route('/', webRouter)

/** The API's type, for typed clients: `hc<AppType>(baseUrl)` from hono/client. */
export type AppType = typeof app

export default app
