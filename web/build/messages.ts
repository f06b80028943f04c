/**
 * Texts travel with the code that shows them. The sources stay one file per area with both
 * languages side by side (`defineMessages`, whose key parity the compiler checks); at build
 * time this plugin finds the message keys each module of `web/src` names (string literals
 * such as `'risks.form.newTitle'`, and prefixes such as `` `risks.level.${level}` ``) and
 * gives the module one more import: its English texts (`virtual:messages/en/<hash>`), which
 * register themselves with `lib/i18n/texts.ts` before the module runs, together with a
 * loader of the same German texts (`virtual:messages/de/<hash>`), fetched only when the UI
 * is German. So a page's chunk holds the English it shows, and the first download holds
 * only the frame's.
 *
 * The catalogue is read by running `web/src/lib/i18n/messages/index.ts` (bundled by esbuild,
 * which the CDK app uses too) and flattened as `lib/i18n/flatten.ts` says.
 */
import { createHash } from 'node:crypto'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
import type { Plugin } from 'vite'
import { LOCALES, type Locale } from '../src/lib/i18n/define.js'
import { flattenMessages } from '../src/lib/i18n/flatten.js'

const PREFIX = 'virtual:messages/'
const RESOLVED = `\0${PREFIX}`
const SRC = fileURLToPath(new URL('../src/', import.meta.url))
const I18N = join(SRC, 'lib/i18n/')
const TEXTS_MODULE = join(I18N, 'texts.ts')

/** The flat catalogue of every language, and the area names. */
interface Catalogue {
  texts: Record<Locale, Record<string, string>>
  keys: string[]
  areas: string[]
  files: string[]
}

async function readCatalogue(): Promise<Catalogue> {
  const bundled = await build({
    entryPoints: [join(I18N, 'messages/index.ts')],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'neutral',
    metafile: true,
    logLevel: 'silent',
  })
  const source = Buffer.from(bundled.outputFiles[0].text).toString('base64')
  const areas: Record<string, unknown> = await import(`data:text/javascript;base64,${source}`)
  const texts = Object.fromEntries(LOCALES.map((l) => [l, flattenMessages(areas, l)])) as Catalogue['texts']
  return {
    texts,
    keys: Object.keys(texts.en),
    areas: Object.keys(areas),
    files: Object.keys(bundled.metafile.inputs).map((f) => join(process.cwd(), f)),
  }
}

/**
 * The message keys a module's code names: exact keys, and every key under a prefix written
 * as `'area.part.'` or `` `area.part.${…}` ``.
 */
export function keysNamedIn(code: string, catalogue: Catalogue): string[] {
  const known = new Set(catalogue.keys)
  const literal = new RegExp(`(["'\`])((?:${catalogue.areas.join('|')})\\.[\\w.-]*)(\\1|\\$\\{)?`, 'g')
  const found = new Set<string>()
  for (const m of code.matchAll(literal)) {
    const [, , text, end] = m
    if (end === m[1] && known.has(text)) found.add(text)
    else if (end === '${' || (end === m[1] && text.endsWith('.')))
      for (const key of catalogue.keys) if (key.startsWith(text)) found.add(key)
  }
  return [...found].sort()
}

/** The Vite plugin. */
export function messageCatalogues(): Plugin {
  let catalogue: Promise<Catalogue> | undefined
  const sets = new Map<string, string[]>()
  const read = () => {
    catalogue ??= readCatalogue()
    return catalogue
  }
  const pick = (texts: Record<string, string>, keys: string[]) =>
    JSON.stringify(Object.fromEntries(keys.map((k) => [k, texts[k]])))

  return {
    name: 'ismsflow:message-catalogues',
    // After Svelte and TypeScript are compiled: the keys are plain string literals by then.
    enforce: 'post',
    resolveId(id) {
      return id.startsWith(PREFIX) ? RESOLVED + id.slice(PREFIX.length) : undefined
    },
    async load(id) {
      if (!id.startsWith(RESOLVED)) return undefined
      const [locale, hash] = id.slice(RESOLVED.length).split('/') as [Locale, string]
      const keys = sets.get(hash)
      if (!keys || !(LOCALES as readonly string[]).includes(locale)) this.error(`unknown texts ${id}`)
      const { texts, files } = await read()
      for (const file of files) this.addWatchFile(file)
      if (locale !== 'en') return `export default ${pick(texts[locale], keys)}\n`
      const german = LOCALES.filter((l) => l !== 'en')
        .map(
          (l) =>
            `addTranslations(${JSON.stringify(l)}, () => import(${JSON.stringify(`${PREFIX}${l}/${hash}`)}))`,
        )
        .join('\n')
      return `import { addTexts, addTranslations } from ${JSON.stringify(TEXTS_MODULE)}\naddTexts('en', ${pick(texts.en, keys)})\n${german}\n`
    },
    async transform(code, id) {
      if (!id.startsWith(SRC) || id.startsWith(I18N) || id.includes('?') || !/\.(ts|svelte)$/.test(id))
        return undefined
      const keys = keysNamedIn(code, await read())
      if (keys.length === 0) return undefined
      const hash = createHash('sha256').update(keys.join('\n')).digest('hex').slice(0, 12)
      sets.set(hash, keys)
      // Appended: imports run before the module's body wherever they stand, and no line moves.
      return { code: `${code}\nimport ${JSON.stringify(`${PREFIX}en/${hash}`)};\n`, map: null }
    },
    watchChange(id) {
      if (id.startsWith(join(I18N, 'messages'))) catalogue = undefined
    },
  }
}
