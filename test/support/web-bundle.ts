/**
 * The web app's download, measured on a real production build (`vite build` with the
 * project's config, plus a manifest): every chunk's size raw and gzipped, and the JavaScript
 * a first visit to a page needs — the entry chunk, the chunks it imports, and the page's own
 * lazy chunk with what that imports. Shared by `npm run bench:web` and the budget test
 * (`test/assembly/web-budget.test.ts`).
 */
import { readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { gzipSync } from 'node:zlib'
import { build } from 'vite'

/** The goals of issue 15 ("a small first download"), in kB (1 kB = 1000 bytes) of gzipped JavaScript. */
export const WEB_BUDGET = {
  /** Any page's first visit, signed out or signed in. */
  initialKb: 150,
  /** The public quick check (the anonymous obligation self-assessment), on its own. */
  quickCheckKb: 100,
} as const

/** The quick check's first visit: its page, and JSONata, which its questionnaire's conditions need at once. */
export const QUICK_CHECK = { page: '/quick-check', also: ['jsonata'] }

/** One entry of Vite's build manifest (`.vite/manifest.json`), keyed by source path from `web/`. */
interface ManifestChunk {
  file: string
  src?: string
  name?: string
  isEntry?: boolean
  isDynamicEntry?: boolean
  imports?: string[]
  dynamicImports?: string[]
}
type Manifest = Record<string, ManifestChunk>

/** One JavaScript file of the build. */
export interface WebChunk {
  file: string
  /** What it holds: the entry, a page's module, or the shared module it is named after. */
  name: string
  raw: number
  gzip: number
  /** Loaded on first paint (the entry and its static imports). */
  initial: boolean
}

/** The JavaScript a first visit needs: the files and their sum. */
export interface FirstVisit {
  label: string
  files: string[]
  raw: number
  gzip: number
}

/** A measured build. */
export interface WebBundle {
  chunks: WebChunk[]
  /** True when `web/src/routes.ts` has a route with this path. */
  hasRoute(path: string): boolean
  /**
   * A first visit: the entry, and without `page` or `signedIn` the sign-in page; with `page` the lazy module of
   * that route of `web/src/routes.ts`, with `signedIn` the signed-in frame, with `locale: 'de'`
   * the German texts of all that, with `also` the lazy modules the page fetches as soon as it shows
   * (e.g. `'jsonata'` for a form with conditions), matched by their source path.
   */
  firstVisit(
    label: string,
    options?: { page?: string; signedIn?: boolean; locale?: 'en' | 'de'; also?: string[] },
  ): FirstVisit
}

const WEB_ROOT = resolve('web')

/** Builds the app into `outDir` (with a manifest, which the normal build does not write). */
export async function buildWeb(outDir: string): Promise<void> {
  // A production build as `npm run build:web` makes it, also under vitest (NODE_ENV=test
  // would make Vite and Svelte build for development).
  const nodeEnv = process.env.NODE_ENV
  process.env.NODE_ENV = 'production'
  try {
    await build({
      configFile: join(WEB_ROOT, 'vite.config.ts'),
      mode: 'production',
      logLevel: 'error',
      build: { outDir, emptyOutDir: true, manifest: true },
    })
  } finally {
    if (nodeEnv === undefined) delete process.env.NODE_ENV
    else process.env.NODE_ENV = nodeEnv
  }
}

/** Which page module each route of `web/src/routes.ts` loads, read from its source. */
export function routePages(): Map<string, string> {
  const source = readFileSync(join(WEB_ROOT, 'src/routes.ts'), 'utf8')
  const modules = new Map(
    [...source.matchAll(/const (\w+) = \(\) => import\('\.\/([^']+)'\)/g)].map((m) => [m[1], `src/${m[2]}`]),
  )
  const pages = new Map<string, string>()
  for (const m of source.matchAll(/path: '([^']+)',\s*page: (\w+)/g)) {
    const module = modules.get(m[2])
    if (!module) throw new Error(`route ${m[1]}: page ${m[2]} is not a lazy import() in routes.ts`)
    pages.set(m[1], module)
  }
  return pages
}

/** Measures the build in `outDir` (made by {@link buildWeb}). */
export function measureWeb(outDir: string): WebBundle {
  const manifest: Manifest = JSON.parse(readFileSync(join(outDir, '.vite/manifest.json'), 'utf8'))
  const entryKey = Object.keys(manifest).find((k) => manifest[k].isEntry)
  if (!entryKey) throw new Error('the build has no entry chunk')
  const sizes = new Map<string, { raw: number; gzip: number }>()
  const size = (file: string) => {
    let s = sizes.get(file)
    if (!s) {
      const bytes = readFileSync(join(outDir, file))
      s = { raw: bytes.length, gzip: gzipSync(bytes).length }
      sizes.set(file, s)
    }
    return s
  }
  /** A chunk and everything it imports statically (loaded together). */
  const closure = (key: string, into = new Set<string>()) => {
    if (into.has(key)) return into
    const chunk = manifest[key]
    if (!chunk) throw new Error(`no chunk ${key} in the build`)
    into.add(key)
    for (const k of chunk.imports ?? []) closure(k, into)
    return into
  }
  const initialKeys = closure(entryKey)
  const pages = routePages()
  const shell = Object.keys(manifest).find((k) => k.endsWith('src/components/Shell.svelte'))
  const signIn = Object.keys(manifest).find(
    (k) => k.endsWith('src/pages/SignIn.svelte') && manifest[k].isDynamicEntry,
  )

  const chunks = Object.entries(manifest)
    .filter(([, c]) => c.file.endsWith('.js'))
    .map(([key, c]) => ({
      file: c.file,
      name: c.isEntry ? 'entry' : (c.src ?? c.name ?? key).replace(/^\0?/, ''),
      ...size(c.file),
      initial: initialKeys.has(key),
    }))
    .sort((a, b) => b.gzip - a.gzip)

  return {
    chunks,
    hasRoute: (path) => pages.has(path),
    firstVisit(label, options = {}) {
      const keys = closure(entryKey)
      if (options.signedIn && shell) closure(shell, keys)
      // Signed out with no public page: the sign-in page, a lazy chunk of its own.
      if (!options.signedIn && !options.page && signIn) closure(signIn, keys)
      if (options.page) {
        const page = pages.get(options.page)
        if (!page) throw new Error(`no route ${options.page} in web/src/routes.ts`)
        closure(page, keys)
      }
      // A German reader fetches the German texts of every module the visit runs.
      if (options.locale === 'de')
        for (const key of [...keys])
          for (const texts of manifest[key].dynamicImports ?? [])
            if (texts.includes('virtual:messages/de/')) closure(texts, keys)
      for (const name of options.also ?? []) {
        const key = Object.keys(manifest).find((k) => manifest[k].isDynamicEntry && k.includes(name))
        if (!key) throw new Error(`no lazy chunk for ${name} in the build`)
        closure(key, keys)
      }
      const files = [...keys].map((k) => manifest[k].file).filter((f) => f.endsWith('.js'))
      const sum = (k: 'raw' | 'gzip') => files.reduce((n, f) => n + size(f)[k], 0)
      return { label, files, raw: sum('raw'), gzip: sum('gzip') }
    },
  }
}
