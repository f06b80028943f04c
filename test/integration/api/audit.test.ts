import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { apiHarness, type SignedIn } from './support.js'

type Entry = {
  at: string
  actor: { userId: string; name: { en: string; de: string } }
  action: string
  type: string
  id: string
  text: { en: string; de: string }
}

describe('the audit log: plain sentences, filters and CSV export', () => {
  let h: Awaited<ReturnType<typeof apiHarness>>
  let iso: SignedIn
  let auditor: SignedIn
  let member: SignedIn
  let hafenMember: SignedIn

  const list = async (query: string, auth = iso, headers: Record<string, string> = {}) => {
    const res = await h.request(`/api/audit${query}`, {
      auth,
      headers: { 'x-org-id': 'nordlicht', ...headers },
    })
    return {
      status: res.status,
      body: (await res.json()) as { items: Entry[]; cursor?: string; error?: any },
    }
  }
  /** Every entry a query finds, following the cursors. */
  const all = async (query: string) => {
    const out: Entry[] = []
    let cursor: string | undefined
    do {
      const sep = query ? '&' : '?'
      const page = await list(`${query}${cursor ? `${sep}cursor=${encodeURIComponent(cursor)}` : ''}`)
      expect(page.status).toBe(200)
      out.push(...page.body.items)
      cursor = page.body.cursor
    } while (cursor)
    return out
  }

  beforeAll(async () => {
    h = await apiHarness()
    ;[iso, auditor, member, hafenMember] = await Promise.all([
      h.signIn('iso@demo.ismsflow.test'),
      h.signIn('auditor@demo.ismsflow.test'),
      h.signIn('member@demo.ismsflow.test'),
      h.signIn('member@hafenstadt.ismsflow.test'),
    ])
  })
  afterAll(async () => h.close())

  it('tells each entry as a sentence in English and German, without the data before and after', async () => {
    const { status, body } = await list('?limit=200')
    expect(status).toBe(200)
    expect(body.items.length).toBeGreaterThan(10)
    const signIn = body.items.find((e) => e.action === 'session.sign-in' && e.actor.userId === 'demo-iso')!
    expect(signIn.text).toEqual({ en: 'Ines Sommer signed in.', de: 'Ines Sommer hat sich angemeldet.' })
    const seeded = body.items.find((e) => e.actor.userId === 'system:seed')!
    expect(seeded.actor.name).toEqual({ en: 'ismsflow (demo data)', de: 'ismsflow (Demodaten)' })
    expect(seeded.text.en.startsWith('ismsflow (demo data) ')).toBe(true)
    const risk = body.items.find((e) => e.action === 'risk.create')!
    expect(risk.text.en).toMatch(/^ismsflow \(demo data\) added the risk R-\d+ “.+”\.$/)
    expect(risk.text.de).toMatch(/^ismsflow \(Demodaten\) hat das Risiko R-\d+ „.+“ angelegt\.$/)
    for (const e of body.items) {
      expect(e).not.toHaveProperty('before')
      expect(e).not.toHaveProperty('after')
      expect(e.text.en).not.toMatch(/system:|\b[a-z]+\.[a-z-]+\b(?! )/)
    }
  })

  it('filters by who, what and when, on the server, across pages', async () => {
    const everything = await all('?limit=200')
    const byIso = await all('?actor=demo-iso&limit=3')
    expect(byIso.length).toBe(everything.filter((e) => e.actor.userId === 'demo-iso').length)
    expect(byIso.every((e) => e.actor.userId === 'demo-iso')).toBe(true)
    const bySystem = await all('?actor=system&limit=50')
    expect(bySystem.length).toBeGreaterThan(0)
    expect(bySystem.every((e) => e.actor.userId.startsWith('system:'))).toBe(true)
    const risks = await all('?what=risks&limit=4')
    expect(risks.length).toBe(everything.filter((e) => e.type.startsWith('risk')).length)
    expect(new Set(risks.map((e) => `${e.at}/${e.id}/${e.action}`)).size).toBe(risks.length)
    // Newest first, within the days asked for.
    const day = everything[0].at.slice(0, 10)
    const today = await all(`?from=${day}&to=${day}`)
    expect(today.length).toBe(everything.filter((e) => e.at.startsWith(day)).length)
    expect([...today].sort((a, b) => (a.at < b.at ? 1 : -1)).map((e) => e.at)).toEqual(today.map((e) => e.at))
    expect((await list('?from=2099-01-01')).body.items).toEqual([])
    expect((await list('?to=2000-01-01')).body.items).toEqual([])
  })

  it('refuses bad filters, naming the field', async () => {
    for (const [query, field] of [
      ['?from=yesterday', 'from'],
      ['?to=2026-02-30', 'to'],
      ['?from=2026-03-01&to=2026-02-01', 'to'],
      ['?what=everything', 'what'],
      ['?limit=0', 'limit'],
      ['?colour=red', 'colour'],
    ] as const) {
      const { status, body } = await list(query)
      expect(status, query).toBe(400)
      expect(Object.keys(body.error.fields).join(' '), query).toContain(field)
    }
    const csv = await h.request('/api/audit/export.csv?lang=fr', {
      auth: iso,
      headers: { 'x-org-id': 'nordlicht' },
    })
    expect(csv.status).toBe(400)
  })

  it('exports the filtered log as CSV in the reader’s language, and records the export', async () => {
    const res = await h.request('/api/audit/export.csv?what=risks', { auth: auditor })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toContain('text/csv')
    expect(res.headers.get('content-disposition')).toMatch(
      /attachment; filename="audit-log-nordlicht-\d{4}-\d{2}-\d{2}\.csv"/,
    )
    const lines = (await res.text())
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n')
    expect(lines[0]).toBe('When (UTC),Who,What happened,Action,Record,Id')
    const risks = await all('?what=risks')
    expect(lines.length - 1).toBe(risks.length)
    expect(lines[1]).toContain('risk')
    const de = await h.request('/api/audit/export.csv?lang=de&actor=demo-iso', { auth: auditor })
    const deLines = (await de.text())
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n')
    expect(deLines[0]).toBe('Zeitpunkt (UTC);Person;Was geschah;Aktion;Datensatz;Kennung')
    expect(deLines.slice(1).every((l) => l.includes(';Ines Sommer;'))).toBe(true)
    const exports = (await list('?actor=demo-auditor')).body.items.filter((e) => e.action === 'audit.export')
    expect(exports.map((e) => e.text.en)).toEqual([
      'Anton Richter exported the audit log.',
      'Anton Richter exported the audit log.',
    ])
  })

  it('is for the ISO, management and the auditor only; members get 403', async () => {
    expect((await list('', member)).status).toBe(403)
    expect((await h.request('/api/audit/export.csv', { auth: member })).status).toBe(403)
  })

  it("never shows another organisation's log: not by header, not by filter, not in the export", async () => {
    const nordlicht = await all('?limit=200')
    const keys = new Set(nordlicht.map((e) => `${e.at}/${e.id}`))
    // The ISO of both organisations, acting in Hafenstadt, sees only Hafenstadt's entries.
    const hafen = await list('?limit=200', iso, { 'x-org-id': 'hafenstadt' })
    expect(hafen.status).toBe(200)
    expect(hafen.body.items.length).toBeGreaterThan(0)
    expect(hafen.body.items.some((e) => keys.has(`${e.at}/${e.id}`))).toBe(false)
    const hafenCsv = await (
      await h.request('/api/audit/export.csv?actor=demo-iso', {
        auth: iso,
        headers: { 'x-org-id': 'hafenstadt' },
      })
    ).text()
    expect(hafenCsv).not.toContain('Nordlicht')
    // A Hafenstadt member naming Nordlicht is refused, for the list and the export.
    expect((await list('', hafenMember, { 'x-org-id': 'nordlicht' })).status).toBe(403)
    expect(
      (await h.request('/api/audit/export.csv', { auth: hafenMember, headers: { 'x-org-id': 'nordlicht' } }))
        .status,
    ).toBe(403)
  })
})
