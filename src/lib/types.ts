import type { OpenAPIHono, RouteConfig, RouteHandler } from '@hono/zod-openapi'
import type { Config } from '../config'
import type { UserId } from '../domain/user-id'
import type { Services } from '../services/container'
import type { RequestContext } from './request-context'

export interface AppBindings {
  Bindings: Env
  Variables: {
    config: Config
    services: Services
    request: RequestContext
    /** Set by the bearer-auth middleware on protected routes. */
    userId: UserId
    /** The caller's session (refresh-token family), from the access token's `sid`; set with userId. */
    sessionId?: string
  }
}

export type AppOpenAPI = OpenAPIHono<AppBindings>

export type AppRouteHandler<R extends RouteConfig> = RouteHandler<R, AppBindings>
