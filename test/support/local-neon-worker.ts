// The thread test/support/local-neon-thread.ts starts: serves the local SQL endpoint until told to close.
import type { LocalNeonOptions } from '../../scripts/local-neon/server.ts'
import { parentPort, workerData } from 'node:worker_threads'
import { startLocalNeon } from '../../scripts/local-neon/server.ts'

void startLocalNeon(workerData as LocalNeonOptions).then((endpoint) => {
  parentPort!.postMessage({ url: endpoint.url, origin: endpoint.origin })
  parentPort!.once('message', () => {
    void endpoint.close().then(() => parentPort!.close())
  })
})
