/**
 * Builds the one-process local stack (`infra/local/main.ts`) into ES modules that plain `node`
 * runs: `.build/server/main.mjs` and the chunks it loads when first needed. `npm start` runs the
 * bundle, not the TypeScript sources through a loader (tsx's loader thread alone kept ~40 MB).
 *
 * - The application, Hono, zod, the AWS SDK and the rest are in the bundle; dynalite stays
 *   outside (`infra/local/dynamo-transactions.ts` requires its inner modules by name and must
 *   get the same instances), and so do the packages read through `createRequire` by name
 *   (asl-validator) and the native LevelDB binding.
 * - `import.meta.url` keeps meaning the source module's own place: each module gets its path
 *   relative to the bundle, so `functions/forms/load.ts` still finds `workflows/forms/` and a
 *   `createRequire` resolves from where its module lives.
 * - Whitespace and syntax minified, names kept: V8 holds the source text of every script for as
 *   long as its functions live. Measured at rest with the demo, after a full collection: live heap
 *   60 MB unminified (a 7.8 MB entry, kept in two bytes a character), 46 MB so (2.4 MB, one
 *   byte), 50 MB minified with `keepNames` (every function's name set again). No source map
 *   (Node would keep it parsed in memory).
 *
 * Run: `npm run build:server` (part of `npm start`).
 */
import { readFile, writeFile } from 'node:fs/promises'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { type BuildOptions, build, type Plugin } from 'esbuild'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))

/** Where `npm start` finds the bundle: its entry, `main.mjs`, and the chunks it loads when needed. */
export const SERVER_DIR = join(ROOT, '.build', 'server')

/** Packages loaded from `node_modules` at run time instead of being bundled. */
export const SERVER_EXTERNALS = ['dynalite', 'asl-validator', 'classic-level', 'level']

/** Replaces `import.meta.url` in our own modules by their source file's URL, relative to the bundle. */
function sourceUrls(outdir: string): Plugin {
  return {
    name: 'source-import-meta-url',
    setup(b) {
      b.onLoad({ filter: /\.ts$/ }, async (args) => {
        if (args.path.includes('node_modules')) return undefined
        const text = await readFile(args.path, 'utf8')
        if (!text.includes('import.meta.url')) return undefined
        const rel = relative(outdir, args.path).split('\\').join('/')
        return {
          contents: text.replaceAll(
            'import.meta.url',
            `new URL(${JSON.stringify(rel)}, import.meta.url).href`,
          ),
          loader: 'ts',
        }
      })
    },
  }
}

/**
 * Writes characters beyond Latin-1 as `\uXXXX` escapes: V8 keeps a script's source for as long
 * as its functions live, in one byte a character only if every character fits in one (a single
 * `•` in a regular expression doubled the entry's 1.9 MB). The escape means the same in strings,
 * templates, regular expressions and comments.
 */
function latin1Output(): Plugin {
  return {
    name: 'latin1-output',
    setup(b) {
      b.onEnd(async (result) => {
        for (const file of Object.keys(result.metafile?.outputs ?? {})) {
          if (!file.endsWith('.mjs')) continue
          const text = await readFile(file, 'utf8')
          // biome-ignore lint/suspicious/noControlCharactersInRegex: the range starts after Latin-1
          const wide = /[^\u0000-\u00ff]/g
          if (wide.test(text))
            await writeFile(
              file,
              text.replace(wide, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`),
            )
        }
      })
    },
  }
}

/** The esbuild options of the server bundle (exported for the test that builds it elsewhere). */
export function serverBuildOptions(outdir = SERVER_DIR): BuildOptions {
  return {
    entryPoints: { main: join(ROOT, 'infra/local/main.ts') },
    outdir,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    // What the code imports dynamically (the XLSX export's exceljs, JSONata) stays in its own
    // chunk, read only when first used.
    splitting: true,
    // Chunks beside the entry: a module's `import.meta.url` is rewritten relative to this folder.
    chunkNames: '[name]-[hash]',
    platform: 'node',
    target: 'node20',
    format: 'esm',
    mainFields: ['module', 'main'],
    external: SERVER_EXTERNALS.flatMap((p) => [p, `${p}/*`]),
    // CommonJS packages in the bundle call `require` for Node's own modules.
    banner: {
      js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
    },
    tsconfig: join(ROOT, 'tsconfig.json'),
    // Whitespace and syntax only: names stay as written (stack traces, `err.constructor.name`).
    minifyWhitespace: true,
    minifySyntax: true,
    metafile: true,
    plugins: [sourceUrls(outdir), latin1Output()],
    logLevel: 'warning',
  }
}

/** Builds the server bundle into `outdir`; answers the path of its entry. */
export async function buildServer(outdir = SERVER_DIR): Promise<string> {
  await build(serverBuildOptions(outdir))
  return join(outdir, 'main.mjs')
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const t0 = performance.now()
  const out = await buildServer()
  console.log(`built ${relative(process.cwd(), out)} in ${Math.round(performance.now() - t0)} ms`)
}
