/**
 * Builds the one-process local stack (`infra/local/main.ts`) into one ES module for `npm start`,
 * so the app runs on plain Node: no TypeScript loader in the running process (tsx's loader
 * thread and its compile cache cost ~40 MB of RSS). Packages stay in node_modules (imported as
 * they are); `import.meta.url` keeps naming each source file, so the paths the modules find
 * their data by (workflows, forms) stay right. Run: `npm run build:server` (part of `npm start`).
 */
import { readFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { build } from 'esbuild'
import { SERVER_BUNDLE } from './server-bundle.js'

await build({
  entryPoints: ['infra/local/main.ts'],
  outfile: SERVER_BUNDLE,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  sourcemap: 'linked',
  logLevel: 'warning',
  plugins: [
    {
      name: 'source-file-import-meta-url',
      setup(b) {
        b.onLoad({ filter: /\.ts$/ }, async (args) => {
          const source = await readFile(args.path, 'utf8')
          if (!source.includes('import.meta.url')) return { contents: source, loader: 'ts' }
          const url = JSON.stringify(pathToFileURL(resolve(args.path)).href)
          return { contents: source.replaceAll('import.meta.url', url), loader: 'ts' }
        })
      },
    },
  ],
})
