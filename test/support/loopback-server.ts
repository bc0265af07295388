import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface LoopbackServer {
  origin: string
  close: () => Promise<void>
}

/** Serves a stand-in on a free port of 127.0.0.1, and closes it with any keep-alive connections still open. */
export async function listenOnLoopback(server: Server): Promise<LoopbackServer> {
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => {
      server.closeAllConnections()
      server.close(() => resolve())
    }),
  }
}
