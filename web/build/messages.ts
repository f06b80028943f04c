/**
 * The message catalogues as one flat module per language, `virtual:messages/en` and
 * `virtual:messages/de`, so a language's texts travel only to those who read it: English in
 * the first chunk, German in a chunk of its own, loaded when the UI is German.
 *
 * The sources stay one file per area with both languages side by side (`defineMessages`,
 * whose key parity the compiler checks); this plugin runs `web/src/lib/i18n/messages/index.ts`
 * at build time (bundled by esbuild, which the CDK app uses too) and writes out one
 * language's texts, flattened as `lib/i18n/flatten.ts` says.
 */
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
import type { Plugin } from 'vite'
import { LOCALES, type Locale } from '../src/lib/i18n/define.js'
import { flattenMessages } from '../src/lib/i18n/flatten.js'

const PREFIX = 'virtual:messages/'
const RESOLVED = `\0${PREFIX}`
const MESSAGES = fileURLToPath(new URL('../src/lib/i18n/messages/', import.meta.url))

/** The Vite plugin that serves `virtual:messages/<locale>`. */
export function messageCatalogues(): Plugin {
  return {
    name: 'ismsflow:message-catalogues',
    resolveId(id) {
      return id.startsWith(PREFIX) ? RESOLVED + id.slice(PREFIX.length) : undefined
    },
    async load(id) {
      if (!id.startsWith(RESOLVED)) return undefined
      const locale = id.slice(RESOLVED.length)
      if (!(LOCALES as readonly string[]).includes(locale))
        this.error(`${PREFIX}${locale}: no such language (there are ${LOCALES.join(', ')})`)
      const bundled = await build({
        entryPoints: [join(MESSAGES, 'index.ts')],
        bundle: true,
        write: false,
        format: 'esm',
        platform: 'neutral',
        metafile: true,
        logLevel: 'silent',
      })
      // A changed message file rebuilds the catalogue (`npm run dev:web`).
      for (const input of Object.keys(bundled.metafile.inputs)) this.addWatchFile(join(process.cwd(), input))
      const source = Buffer.from(bundled.outputFiles[0].text).toString('base64')
      const areas = (await import(`data:text/javascript;base64,${source}`)) as Record<string, unknown>
      return `export default ${JSON.stringify(flattenMessages(areas, locale as Locale))}\n`
    },
  }
}
