/**
 * What an internal audit programme (ISO/IEC 27001:2022 9.2) must cover over a certification
 * cycle: every clause of the management system (4 to 10) and the four Annex A themes.
 */
import type { Text } from '../risk/text.js'

/** The area ids, in order: clauses 4–10, then A.5–A.8. */
export const AUDIT_AREA_IDS = ['4', '5', '6', '7', '8', '9', '10', 'A.5', 'A.6', 'A.7', 'A.8'] as const

/** An area id. */
export type AreaId = (typeof AUDIT_AREA_IDS)[number]

/** One auditable area: a clause or an Annex A theme. */
export interface AuditArea {
  id: AreaId
  kind: 'clause' | 'theme'
  title: Text
  /** Sub-clauses an audit of a clause walks through (its checklist); themes take theirs from the SoA. */
  items: { id: string; title: Text }[]
  /** The Annex A theme's catalogue id (`organisational`, …). */
  theme?: string
}

const item = (id: string, en: string, de: string) => ({ id, title: { en, de } })

/** The areas in order: clauses 4–10, then A.5–A.8. */
export const AUDIT_AREAS: readonly AuditArea[] = [
  {
    id: '4',
    kind: 'clause',
    title: { en: 'Context of the organisation', de: 'Kontext der Organisation' },
    items: [
      item('4.1', 'External and internal issues determined', 'Externe und interne Themen bestimmt'),
      item(
        '4.2',
        'Interested parties and their requirements',
        'Interessierte Parteien und ihre Anforderungen',
      ),
      item('4.3', 'Scope of the ISMS', 'Anwendungsbereich des ISMS'),
      item('4.4', 'ISMS established and maintained', 'ISMS aufgebaut und aufrechterhalten'),
    ],
  },
  {
    id: '5',
    kind: 'clause',
    title: { en: 'Leadership', de: 'Führung' },
    items: [
      item('5.1', 'Leadership and commitment', 'Führung und Verpflichtung'),
      item('5.2', 'Information security policy', 'Informationssicherheitspolitik'),
      item('5.3', 'Roles, responsibilities and authorities', 'Rollen, Verantwortlichkeiten und Befugnisse'),
    ],
  },
  {
    id: '6',
    kind: 'clause',
    title: { en: 'Planning', de: 'Planung' },
    items: [
      item('6.1.2', 'Risk assessment', 'Risikobeurteilung'),
      item(
        '6.1.3',
        'Risk treatment and Statement of Applicability',
        'Risikobehandlung und Erklärung zur Anwendbarkeit',
      ),
      item('6.2', 'Objectives and planning to achieve them', 'Ziele und Planung zu deren Erreichung'),
      item('6.3', 'Planning of changes', 'Planung von Änderungen'),
    ],
  },
  {
    id: '7',
    kind: 'clause',
    title: { en: 'Support', de: 'Unterstützung' },
    items: [
      item('7.1', 'Resources', 'Ressourcen'),
      item('7.2', 'Competence', 'Kompetenz'),
      item('7.3', 'Awareness', 'Bewusstsein'),
      item('7.4', 'Communication', 'Kommunikation'),
      item('7.5', 'Documented information', 'Dokumentierte Information'),
    ],
  },
  {
    id: '8',
    kind: 'clause',
    title: { en: 'Operation', de: 'Betrieb' },
    items: [
      item('8.1', 'Operational planning and control', 'Betriebliche Planung und Steuerung'),
      item('8.2', 'Risk assessments at planned intervals', 'Risikobeurteilungen in geplanten Abständen'),
      item('8.3', 'Risk treatment plan implemented', 'Risikobehandlungsplan umgesetzt'),
    ],
  },
  {
    id: '9',
    kind: 'clause',
    title: { en: 'Performance evaluation', de: 'Bewertung der Leistung' },
    items: [
      item(
        '9.1',
        'Monitoring, measurement, analysis and evaluation',
        'Überwachung, Messung, Analyse und Bewertung',
      ),
      item('9.2', 'Internal audit programme', 'Internes Auditprogramm'),
      item('9.3', 'Management review', 'Managementbewertung'),
    ],
  },
  {
    id: '10',
    kind: 'clause',
    title: { en: 'Improvement', de: 'Verbesserung' },
    items: [
      item('10.1', 'Continual improvement', 'Fortlaufende Verbesserung'),
      item('10.2', 'Nonconformity and corrective action', 'Nichtkonformität und Korrekturmaßnahmen'),
    ],
  },
  {
    id: 'A.5',
    kind: 'theme',
    theme: 'organisational',
    title: { en: 'Organisational controls', de: 'Organisatorische Maßnahmen' },
    items: [],
  },
  {
    id: 'A.6',
    kind: 'theme',
    theme: 'people',
    title: { en: 'People controls', de: 'Personenbezogene Maßnahmen' },
    items: [],
  },
  {
    id: 'A.7',
    kind: 'theme',
    theme: 'physical',
    title: { en: 'Physical controls', de: 'Physische Maßnahmen' },
    items: [],
  },
  {
    id: 'A.8',
    kind: 'theme',
    theme: 'technological',
    title: { en: 'Technological controls', de: 'Technologische Maßnahmen' },
    items: [],
  },
]

/** The area of an id, or undefined. */
export const auditArea = (id: string) => AUDIT_AREAS.find((a) => a.id === id)

/** The area a control or clause belongs to: `A.8.13` → `A.8`, `9.1` → `9`. */
export function areaOf(ref: string): string | undefined {
  const theme = /^(A\.[5-8])\.\d+$/.exec(ref)
  if (theme) return theme[1]
  const clause = /^(\d+)(\.|$)/.exec(ref)?.[1]
  return clause && auditArea(clause) ? clause : undefined
}
