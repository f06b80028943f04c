/**
 * Starting an embedded server (the Step Functions endpoint, the object store) on a port
 * (0 = a free one): it listens, says where, and closes with its open connections.
 */
import type { Server } from 'node:http'

/** A server that listens: where to reach it and how to stop it. */
export interface Listening {
  endpoint: string
  close(): Promise<void>
}

/** Listens on `port` at `host` (default 127.0.0.1; `0.0.0.0` is reached as localhost). */
export async function listenOn(server: Server, options: { port: number; host?: string }): Promise<Listening> {
  const host = options.host ?? '127.0.0.1'
  server.keepAliveTimeout = 5_000
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port, host, () => resolve())
  })
  const address = server.address()
  const port = typeof address === 'object' && address ? address.port : options.port
  return {
    endpoint: `http://${host === '0.0.0.0' ? 'localhost' : host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections?.()
      }),
  }
}
