import { createApp } from './lib/create-app'
import { authRouter } from './routes/auth/auth.index'
import { registerDocs } from './routes/docs/docs.index'
import { healthRouter } from './routes/health/health.index'
import { profileRouter } from './routes/profile/profile.index'
import { jwksRouter } from './routes/well-known/jwks.index'

const app = createApp()
  .route('/', authRouter)
  .route('/', profileRouter)
  .route('/', jwksRouter)
  .route('/', healthRouter)

registerDocs(app)

/** The API's type, for typed clients: `hc<AppType>(baseUrl)` from hono/client. */
export type AppType = typeof app

export default app
