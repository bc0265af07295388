// Vitest talks to each workerd over a WebSocket that Miniflare opens with the `ws` package, and every module of the
// Worker and every test message crosses it. `ws` offers permessage-deflate and workerd accepts, so both ends compress
// bytes that never leave the machine: about 11 s of CPU a run, 5 s of wall time on two cores. Renamed, the offer is
// one workerd does not know, and servers ignore extensions they do not know. (The fix belongs in Miniflare: opening
// its own sockets with `perMessageDeflate: false`.)
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'

/** Makes every `ws` client that Miniflare opens from this process offer no compression. */
export function offerNoWebSocketCompression(): void {
  const require = createRequire(import.meta.resolve('miniflare'))
  // Not among ws's exports; loaded by its path, it is the same module ws itself uses.
  const perMessageDeflate = require(join(dirname(require.resolve('ws')), 'lib', 'permessage-deflate.js')) as object
  Object.defineProperty(perMessageDeflate, 'extensionName', { value: 'x-uncompressed' })
}
