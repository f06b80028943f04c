import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'

/**
 * The "may import" column of DESIGN.md, checked on every relative import. An arrow that is
 * not in the table fails here: change the design (and this table) on purpose, not quietly.
 * `functions/` may read `workflows/` as data (DESIGN.md), so every functions room may.
 */
const ROOT = resolve(import.meta.dirname, '../../..')
const RULES: { room: string; may: string[] }[] = [
  { room: 'workflows/', may: [] },
  { room: 'functions/domain/', may: ['functions/domain/'] },
  {
    room: 'functions/store/',
    may: ['functions/store/', 'functions/domain/', 'functions/config', 'workflows/'],
  },
  {
    room: 'functions/steps/',
    may: [
      'functions/steps/',
      'functions/domain/',
      'functions/store/',
      'functions/forms/',
      'functions/mail/',
      // Configuration, with the secrets it names read at run time (functions/config-secret.ts).
      'functions/config',
      // The port to the workflow engine (Step Functions API), shared with the API.
      'functions/workflow-client',
      'workflows/',
    ],
  },
  // The one mail module (DESIGN.md "People and sign-in"): steps send task messages through it.
  {
    room: 'functions/mail/',
    may: ['functions/mail/', 'functions/domain/', 'functions/store/', 'functions/config'],
  },
  { room: 'functions/forms/', may: ['functions/forms/', 'functions/domain/', 'workflows/'] },
  { room: 'functions/api/', may: ['functions/', 'workflows/'] },
  { room: 'web/', may: ['web/', 'functions/domain/', 'workflows/'] },
  { room: 'infra/aws/', may: ['infra/aws/', 'workflows/', 'functions/'] },
  { room: 'infra/local/', may: ['infra/local/', 'functions/', 'workflows/'] },
]

function files(dir: string): string[] {
  const out: string[] = []
  for (const name of readdirSync(join(ROOT, dir))) {
    if (name === 'node_modules' || name === 'dist' || name.startsWith('.')) continue
    const rel = join(dir, name)
    if (statSync(join(ROOT, rel)).isDirectory()) out.push(...files(rel))
    else if (/\.(ts|svelte)$/.test(name) && !name.endsWith('.d.ts')) out.push(rel)
  }
  return out
}

const IMPORT = /(?:import|export)\s[^'"]*?from\s*['"](\.[^'"]+)['"]|import\(\s*['"](\.[^'"]+)['"]\s*\)/g

describe('who may import whom (DESIGN.md)', () => {
  const all = ['functions', 'infra', 'web/src'].flatMap((d) => files(d))

  it('finds the code it checks', () => {
    expect(all.length).toBeGreaterThan(50)
  })

  it('every relative import follows an arrow of the design table', () => {
    const wrong: string[] = []
    for (const file of all) {
      const rule = RULES.filter((r) => file.startsWith(r.room)).sort(
        (a, b) => b.room.length - a.room.length,
      )[0]
      if (!rule) continue
      const text = readFileSync(join(ROOT, file), 'utf8')
      for (const m of text.matchAll(IMPORT)) {
        const spec = m[1] ?? m[2]
        const target = relative(ROOT, resolve(ROOT, file, '..', spec)).replace(/\\/g, '/')
        if (!rule.may.some((p) => target.startsWith(p) || `${target}/`.startsWith(p)))
          wrong.push(`${file} → ${target}`)
      }
    }
    expect(wrong).toEqual([])
  })

  it('the domain has no I/O and no AWS SDK', () => {
    const offenders = all
      .filter((f) => f.startsWith('functions/domain/'))
      .filter((f) =>
        /from\s+['"](node:(fs|net|http|child_process)|@aws-sdk\/|fs|http)['"/]/.test(
          readFileSync(join(ROOT, f), 'utf8'),
        ),
      )
    expect(offenders).toEqual([])
  })
})
