// The local SQL endpoint on a thread of its own. Embedded PGlite does its work on the thread that serves it, and
// every test project's global setup runs on vitest's main thread: projects running side by side would otherwise
// queue all their queries there, behind vitest's own work.
import type { LocalNeonOptions } from '../../scripts/local-neon/server.ts'
import { once } from 'node:events'
import { Worker } from 'node:worker_threads'

export interface LocalNeonThread {
  url: string
  origin: string
  close: () => Promise<void>
}

export async function startLocalNeonThread(options: LocalNeonOptions): Promise<LocalNeonThread> {
  const worker = new Worker(new URL('./local-neon-worker.ts', import.meta.url), { workerData: options })
  const [started] = await Promise.race([
    once(worker, 'message'),
    once(worker, 'error').then(([error]) => Promise.reject(error)),
  ]) as [{ url: string, origin: string }]
  return {
    ...started,
    async close() {
      worker.postMessage('close')
      await once(worker, 'exit')
    },
  }
}
