/**
 * Trends for the management review package (ISO/IEC 27001:2022 9.3.2 d): per indicator, this
 * period (since the last management review) against the period before it, in words with an
 * arrow and whether that is better or worse, never by colour alone. Pure.
 */
import type { Localized, ReviewCycle } from './types.js'

/** A record as the trends read it. */
interface Dated {
  id: string
  createdAt: string
  updatedAt: string
  data: unknown
}

/** What the trends are computed from. */
export interface TrendSources {
  now: Date
  since: string
  reviews: readonly { id: string; data: ReviewCycle }[]
  nonconformities: readonly Dated[]
  projects: readonly Dated[]
  objectives: readonly Dated[]
  incidents?: readonly Dated[]
}

/** One indicator's comparison. */
export interface Trend {
  id: 'nonconformities' | 'monitoring' | 'audits' | 'objectives' | 'incidents'
  current: number | undefined
  previous: number | undefined
  direction: 'up' | 'down' | 'same' | 'none'
  /** Whether the change is good news (`neutral` when more or fewer says nothing by itself). */
  judgement: 'better' | 'worse' | 'neutral' | 'none'
  line: Localized
}

const obj = (v: unknown) => (v && typeof v === 'object' ? (v as Record<string, unknown>) : {})
const str = (v: unknown) => (typeof v === 'string' ? v : '')
const day = (iso: string) => iso.slice(0, 10)

/**
 * The start of the period before this one: the management review before the last, else as
 * long before `since` as `since` is before now.
 */
export function previousSince(reviews: TrendSources['reviews'], since: string, now: Date): string {
  const earlier = reviews
    .map((r) => r.data)
    .filter(
      (c) =>
        c.kind === 'management-review' && c.status === 'completed' && c.completedAt && c.completedAt < since,
    )
    .map((c) => c.completedAt ?? '')
    .sort()
  return earlier.at(-1) ?? new Date(Date.parse(since) - (now.getTime() - Date.parse(since))).toISOString()
}

const NAMES: Record<Trend['id'], Localized> = {
  nonconformities: { en: 'Nonconformities raised', de: 'Festgestellte Nichtkonformitäten' },
  monitoring: {
    en: 'Reviews done on time (monitoring)',
    de: 'Fristgerecht erledigte Überprüfungen (Überwachung)',
  },
  audits: { en: 'Audits held', de: 'Durchgeführte Audits' },
  objectives: { en: 'Objectives achieved', de: 'Erreichte Ziele' },
  incidents: { en: 'Security incidents', de: 'Sicherheitsvorfälle' },
}

const WORDS = {
  up: { en: '↑ up', de: '↑ gestiegen' },
  down: { en: '↓ down', de: '↓ gesunken' },
  same: { en: '→ unchanged', de: '→ unverändert' },
  better: { en: 'better', de: 'besser' },
  worse: { en: 'worse', de: 'schlechter' },
}

function trend(
  id: Trend['id'],
  current: number | undefined,
  previous: number | undefined,
  better: 'higher' | 'lower' | 'neither',
  unit = '',
): Trend {
  const name = NAMES[id]
  if (current === undefined && previous === undefined)
    return {
      id,
      current,
      previous,
      direction: 'none',
      judgement: 'none',
      line: { en: `${name.en}: no data yet.`, de: `${name.de}: noch keine Daten.` },
    }
  const c = current ?? 0
  const p = previous ?? 0
  const direction = c > p ? 'up' : c < p ? 'down' : 'same'
  const judgement =
    direction === 'same' || better === 'neither'
      ? 'neutral'
      : (direction === 'up') === (better === 'higher')
        ? 'better'
        : 'worse'
  const w = WORDS[direction]
  const j = judgement === 'better' || judgement === 'worse' ? WORDS[judgement] : undefined
  const v = (n: number | undefined) => (n === undefined ? '—' : `${n}${unit}`)
  return {
    id,
    current,
    previous,
    direction,
    judgement,
    line: {
      en: `${name.en}: ${v(current)} this period, ${v(previous)} in the period before: ${w.en}${j ? ` (${j.en})` : ''}.`,
      de: `${name.de}: ${v(current)} in diesem Zeitraum, ${v(previous)} im Zeitraum davor: ${w.de}${j ? ` (${j.de})` : ''}.`,
    },
  }
}

/** The trend of each indicator of 9.3.2 d), this period against the one before. */
export function trends(s: TrendSources): Trend[] {
  const now = s.now.toISOString()
  const prev = previousSince(s.reviews, s.since, s.now)
  const inThis = (at: string) => at > s.since && at <= now
  const inPrev = (at: string) => at > prev && at <= s.since
  const count = (ats: string[]) => [ats.filter(inThis).length, ats.filter(inPrev).length] as const

  const [ncNow, ncPrev] = count(s.nonconformities.map((r) => r.createdAt))

  const cycles = s.reviews.map((r) => r.data).filter((c) => c.kind !== 'management-review')
  const onTime = (inWindow: (at: string) => boolean) => {
    const due = cycles.filter((c) => inWindow(c.dueAt) && (c.status === 'completed' || c.status === 'missed'))
    if (due.length === 0) return undefined
    return Math.round((due.filter((c) => c.status === 'completed' && !c.overdue).length / due.length) * 100)
  }

  const held = s.projects.flatMap((p) =>
    Object.values(obj(obj(p.data).audits))
      .map((a) => str(obj(a).heldOn))
      .filter(Boolean),
  )
  const [auditsNow, auditsPrev] = count(held)

  const achieved = s.objectives
    .filter((r) => ['achieved', 'met', 'done'].includes(str(obj(r.data).status)))
    .map((r) => r.updatedAt)
  const [objNow, objPrev] = count(achieved)

  const aware = (s.incidents ?? []).map((r) => str(obj(r.data).awareAt)).filter(Boolean)
  const [incNow, incPrev] = count(aware)

  return [
    trend('nonconformities', ncNow, ncPrev, 'lower'),
    trend('monitoring', onTime(inThis), onTime(inPrev), 'higher', ' %'),
    trend('audits', held.length ? auditsNow : undefined, held.length ? auditsPrev : undefined, 'neither'),
    trend(
      'objectives',
      s.objectives.length ? objNow : undefined,
      s.objectives.length ? objPrev : undefined,
      'higher',
    ),
    trend('incidents', incNow, incPrev, 'lower'),
  ]
}

/** The window words of the trends section ("this period" against "the period before"). */
export function trendWindow(s: Pick<TrendSources, 'reviews' | 'since' | 'now'>): Localized {
  const prev = previousSince(s.reviews, s.since, s.now)
  return {
    en: `This period: since ${day(s.since)}; the period before: ${day(prev)} to ${day(s.since)}.`,
    de: `Dieser Zeitraum: seit ${day(s.since)}; der Zeitraum davor: ${day(prev)} bis ${day(s.since)}.`,
  }
}
