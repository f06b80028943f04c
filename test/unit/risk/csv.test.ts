import { describe, expect, it } from 'vitest'
import { csvCell, toCsv } from '../../../functions/domain/export/csv.js'
import { type Risk, registerColumns, registerRows } from '../../../functions/domain/risk/index.js'

describe('csvCell', () => {
  it('quotes delimiters, quotes and line breaks (RFC 4180)', () => {
    expect(csvCell('plain')).toBe('plain')
    expect(csvCell('a,b')).toBe('"a,b"')
    expect(csvCell('say "hi"')).toBe('"say ""hi"""')
    expect(csvCell('two\nlines')).toBe('"two\nlines"')
    expect(csvCell('cr\rhere')).toBe('"cr\rhere"')
    expect(csvCell('a;b')).toBe('a;b')
    expect(csvCell('a;b', ';')).toBe('"a;b"')
  })

  it('guards against formula injection in text, not in numbers', () => {
    expect(csvCell('=1+1')).toBe("'=1+1")
    expect(csvCell('+49 30 1234')).toBe("'+49 30 1234")
    expect(csvCell('-2')).toBe("'-2")
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)")
    expect(csvCell('\t=cmd')).toBe("'\t=cmd")
    expect(csvCell('=HYPERLINK("http://x","y")')).toBe('"\'=HYPERLINK(""http://x"",""y"")"')
    expect(csvCell(-2)).toBe('-2')
    expect(csvCell('a=b')).toBe('a=b')
  })

  it('writes empty, boolean and list cells', () => {
    expect(csvCell(null)).toBe('')
    expect(csvCell(undefined)).toBe('')
    expect(csvCell(Number.NaN)).toBe('')
    expect(csvCell(true)).toBe('true')
    expect(csvCell(['A.5.1', 'A.8.2'])).toBe('A.5.1; A.8.2')
  })
})

describe('toCsv', () => {
  it('writes a header and CRLF-terminated rows', () => {
    const csv = toCsv(
      [
        { id: 'R-1', title: 'Fire, flood' },
        { id: 'R-2', title: '=evil()' },
      ],
      [
        { header: 'Id', key: 'id' },
        { header: 'Title', key: 'title' },
        { header: 'Length', value: (r) => r.title.length },
      ],
    )
    expect(csv).toBe('Id,Title,Length\r\nR-1,"Fire, flood",11\r\nR-2,\'=evil(),7\r\n')
  })

  it('supports ; and a byte order mark for Excel', () => {
    expect(toCsv([{ a: 'x;y' }], [{ header: 'Ä', key: 'a' }], { delimiter: ';', bom: true })).toBe(
      '\uFEFFÄ\r\n"x;y"\r\n',
    )
  })
})

describe('register export', () => {
  const risk: Risk = {
    id: 'R-1',
    title: '=cmd|calc',
    description: '',
    category: 'supplier',
    assets: ['ERP'],
    threat: '',
    vulnerability: '',
    ownerId: 'u-1',
    likelihood: 4,
    impact: 4,
    status: 'treated',
    controlIds: ['A.5.19'],
    obligationRefs: [],
    residualLikelihood: 2,
    residualImpact: 3,
  }

  it('flattens risks with plan, levels and names in the chosen language', () => {
    const rows = registerRows(
      [
        {
          risk,
          plan: {
            option: 'mitigate',
            measures: [{ id: 'm', description: 'd', ownerId: 'u', dueDate: '2026-01-01', costEur: 10 }],
            targetLikelihood: 2,
            targetImpact: 3,
            justification: '',
          },
        },
      ],
      { lang: 'de', nameOf: (id) => (id === 'u-1' ? 'Anna Weber' : id) },
    )
    expect(rows[0]).toMatchObject({
      category: 'Lieferanten',
      status: 'Behandelt',
      owner: 'Anna Weber',
      inherentScore: 16,
      inherentLevel: 'Kritisch',
      residualScore: 6,
      residualLevel: 'Mittel',
      option: 'Mindern',
      costEur: 10,
    })
    const csv = toCsv(rows, registerColumns('de'))
    expect(csv.split('\r\n')[0]!.startsWith('Id,Titel,Kategorie')).toBe(true)
    expect(csv).toContain("'=cmd|calc")
    expect(registerColumns('en')).toHaveLength(24)
  })
})
