// The "faults" test project's OTP_CODES binding: an RPC stand-in for a KV namespace at its interface boundary. Every
// call is delegated to a real KV namespace (env.KV); the operations a test names fail instead, as KV does when it is
// unavailable. Tests choose them through this worker's fetch handler: POST {"fail": ["put", "get", "delete"]}.
import { WorkerEntrypoint } from 'cloudflare:workers'

const failing = new Set()

function injectFault(operation) {
  if (failing.has(operation))
    throw new Error(`KV ${operation} failed (injected fault)`)
}

export class FaultyKv extends WorkerEntrypoint {
  get(key, type) {
    injectFault('get')
    return this.env.KV.get(key, type)
  }

  put(key, value, options) {
    injectFault('put')
    return this.env.KV.put(key, value, options)
  }

  delete(key) {
    injectFault('delete')
    return this.env.KV.delete(key)
  }
}

export default {
  async fetch(request) {
    const { fail } = await request.json()
    failing.clear()
    for (const operation of fail)
      failing.add(operation)
    return new Response(null, { status: 204 })
  },
}
