import app from './app'

export { RateLimiter } from './durable-objects/rate-limiter'
export { SignInAttempts } from './durable-objects/sign-in-attempts'

export default app satisfies ExportedHandler<Env>
