// What the bundle imports from `cloudflare:workers`, for running it in Node (bench/handler-cpu.ts): Durable Object
// classes only need their base class to keep `ctx` and `env`.
export class DurableObject<Env = unknown> {
  protected ctx: unknown
  protected env: Env

  constructor(ctx: unknown, env: Env) {
    this.ctx = ctx
    this.env = env
  }
}
