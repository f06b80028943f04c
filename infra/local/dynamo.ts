import { mkdirSync } from 'node:fs'
import type { Server } from 'node:http'
import dynalite from 'dynalite'
import { addTransactions, captureDynaliteStore } from './dynamo-transactions.js'

/**
 * The embedded DynamoDB-compatible server (dynalite). With a `path` it persists to disk
 * (LevelDB); without, it keeps everything in memory (tests that need no restart).
 * Transactions are added in front of dynalite (see `dynamo-transactions.ts`).
 */
export async function startDynamo(options: {
  port: number
  path?: string
  host?: string
}): Promise<{ endpoint: string; close: () => Promise<void> }> {
  if (options.path) mkdirSync(options.path, { recursive: true })
  const store = captureDynaliteStore()
  const server: Server = dynalite({
    path: options.path,
    createTableMs: 0,
    deleteTableMs: 0,
    updateTableMs: 0,
  })
  addTransactions(server, store.get)
  const host = options.host ?? '127.0.0.1'
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port, host, () => resolve())
  })
  const address = server.address()
  const port = typeof address === 'object' && address ? address.port : options.port
  return {
    endpoint: `http://${host}:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}
