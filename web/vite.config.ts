import { fileURLToPath } from 'node:url'
import { svelte } from '@sveltejs/vite-plugin-svelte'
import { defineConfig } from 'vite'
import { messageCatalogues } from './build/messages.js'

/**
 * The web app: root `web/`, built to `web/dist` (served by the local stack and by
 * CloudFront). `npm run dev:web` proxies `/api` to the local stack on port 8787. The Svelte
 * compiler's options are in `svelte.config.js` (shared with `svelte-check`).
 */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  plugins: [svelte(), messageCatalogues()],
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022', sourcemap: 'hidden' },
  server: { port: 5173, proxy: { '/api': { target: 'http://127.0.0.1:8787', changeOrigin: false } } },
})
