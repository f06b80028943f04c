import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))

/**
 * The Node.js options `npm start` runs the server bundle with (`node <options> .build/server/main.mjs`
 * in package.json's start script), so that the benchmark and the bundle's test run it as `npm start`
 * does.
 */
export function startNodeOptions(): string[] {
  const pkg: { scripts?: { start?: string } } = JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8'))
  const m = pkg.scripts?.start?.match(/\bnode((?:\s+--\S+)*)\s+\.build\/server\/main\.mjs\b/)
  if (!m) throw new Error('package.json: the start script does not run node … .build/server/main.mjs')
  return m[1].split(/\s+/).filter(Boolean)
}

/**
 * The environment variables `npm start` sets for the server's process (`NAME=value` before
 * `node` in package.json's start script), so that the benchmark runs it with the same.
 */
export function startEnv(): Record<string, string> {
  const pkg: { scripts?: { start?: string } } = JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8'))
  const m = pkg.scripts?.start?.match(
    /((?:\b[A-Z_]+=\S*\s+)*)node(?:\s+--\S+)*\s+\.build\/server\/main\.mjs\b/,
  )
  if (!m) throw new Error('package.json: the start script does not run node … .build/server/main.mjs')
  return Object.fromEntries(
    m[1]
      .split(/\s+/)
      .filter(Boolean)
      .map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]),
  )
}
