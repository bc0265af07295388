import { createApp } from './lib/create-app'
import { authRouter } from './routes/auth/auth.index'
import { registerDocs } from './routes/docs/docs.index'
import { profileRouter } from './routes/profile/profile.index'
import { jwksRouter } from './routes/well-known/jwks.index'

const app = createApp()

const routers = [authRouter, profileRouter, jwksRouter] as const
for (const router of routers)
  app.route('/', router)

registerDocs(app)

/** For typed clients: `hc<AppType>(baseUrl)` from hono/client. */
export type AppType = typeof routers[number]

export default app
