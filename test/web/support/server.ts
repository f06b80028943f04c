/**
 * A real HTTP server for the web's classes under test: a small Hono app on a free port of
 * 127.0.0.1, and the page (happy-dom) at its address, so the app's own API client
 * (`web/src/lib/api.ts`, relative paths) reaches it as a browser reaches the API.
 */
import { serve } from '@hono/node-server'
import type { Hono } from 'hono'

/** A running server: its origin and how to stop it. */
export interface TestServer {
  origin: string
  close(): Promise<void>
}

/** The page's window as happy-dom gives it (the address can be set). */
interface HappyDomWindow {
  happyDOM: { setURL(url: string): void }
}

const isHappyDom = (w: object): w is HappyDomWindow => 'happyDOM' in w

/** Serves `app` and opens `path` of it in the page. */
export async function serveApp(app: Hono, path = '/'): Promise<TestServer> {
  const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' })
  await new Promise<void>((resolve) => server.once('listening', () => resolve()))
  const address = server.address()
  if (!address || typeof address === 'string') throw new Error('the test server has no port')
  const origin = `http://127.0.0.1:${address.port}`
  openPage(`${origin}${path}`)
  return {
    origin,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}

/** Opens `url` in the page (the origin relative requests go to). */
export function openPage(url: string): void {
  if (!isHappyDom(window)) throw new Error('the web tests run in happy-dom (vitest.config.ts)')
  window.happyDOM.setURL(url)
}

/** Resolves after `ms` milliseconds (a slow answer of the test's server). */
export const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))
