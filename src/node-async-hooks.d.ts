// The one Node API the Worker uses (enabled by the nodejs_als flag); declared here rather than pulling all of
// @types/node into the Worker's type space.
declare module 'node:async_hooks' {
  export class AsyncLocalStorage<T> {
    run<R>(store: T, fn: () => R): R
    getStore(): T | undefined
  }
}
