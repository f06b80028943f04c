/**
 * The calendar model: everything due in an organisation (reviews, milestones, task due
 * dates, risk-acceptance expiries), merged and sorted across organisations for an ISO.
 */
import { z } from 'zod'
import { instantToLocal } from '../schedules/zone.js'

/** A text in both languages. */
export type Localized = { en: string; de: string }

/** What a calendar entry is. */
export const CALENDAR_KINDS = ['review', 'milestone', 'task', 'acceptance-expiry'] as const
export type CalendarKind = (typeof CALENDAR_KINDS)[number]

/** Where a calendar entry stands. */
export const CALENDAR_STATUSES = ['planned', 'open', 'overdue', 'done', 'cancelled'] as const
export type CalendarStatus = (typeof CALENDAR_STATUSES)[number]

/** Labels for kinds (UI and feed categories). */
export const CALENDAR_KIND_LABELS: Record<CalendarKind, Localized> = {
  review: { en: 'Review', de: 'Überprüfung' },
  milestone: { en: 'Milestone', de: 'Meilenstein' },
  task: { en: 'Task', de: 'Aufgabe' },
  'acceptance-expiry': { en: 'Risk acceptance expires', de: 'Risikoakzeptanz läuft ab' },
}

/** Labels for statuses. */
export const CALENDAR_STATUS_LABELS: Record<CalendarStatus, Localized> = {
  planned: { en: 'Planned', de: 'Geplant' },
  open: { en: 'Open', de: 'Offen' },
  overdue: { en: 'Overdue', de: 'Überfällig' },
  done: { en: 'Done', de: 'Erledigt' },
  cancelled: { en: 'Cancelled', de: 'Abgesagt' },
}

const DATE = /^\d{4}-\d{2}-\d{2}$/
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/

const localized = z.object({ en: z.string().min(1), de: z.string().min(1) })

/** Schema of a calendar item (for boundaries that receive them). */
export const calendarItemSchema = z.object({
  id: z.string().min(1).max(200),
  orgId: z.string().min(1),
  orgName: z.string().min(1),
  kind: z.enum(CALENDAR_KINDS),
  title: localized,
  description: localized.optional(),
  /** A calendar date `yyyy-mm-dd` (all-day) or an instant with offset (`2026-04-01T07:00:00Z`). */
  due: z
    .string()
    .refine(
      (v) =>
        (DATE.test(v) && !Number.isNaN(Date.parse(`${v}T00:00:00Z`))) ||
        (DATE_TIME.test(v) && !Number.isNaN(Date.parse(v))),
      {
        message: 'must be a date yyyy-mm-dd or a date-time with offset',
      },
    ),
  /** Where the item opens in ismsflow: absolute, or a path below the app's base URL. */
  url: z.string().min(1),
  status: z.enum(CALENDAR_STATUSES),
})

/** One thing that is due. */
export type CalendarItem = z.infer<typeof calendarItemSchema>

/** True when the item is due on a day rather than at a moment. */
export const isAllDay = (item: Pick<CalendarItem, 'due'>) => DATE.test(item.due)

/** The identity of an item across organisations: `<orgId>/<kind>/<id>`. */
export const calendarItemKey = (item: Pick<CalendarItem, 'orgId' | 'kind' | 'id'>) =>
  `${item.orgId}/${item.kind}/${item.id}`

/** The local calendar date (yyyy-mm-dd) an item falls on in `zone`. */
export function localDueDate(item: Pick<CalendarItem, 'due'>, zone: string): string {
  if (isAllDay(item)) return item.due
  const t = instantToLocal(Date.parse(item.due), zone)
  return `${t.year}-${String(t.month).padStart(2, '0')}-${String(t.day).padStart(2, '0')}`
}

const KIND_ORDER = Object.fromEntries(CALENDAR_KINDS.map((k, i) => [k, i])) as Record<CalendarKind, number>

/** Options for merging calendars. */
export interface MergeOptions {
  /** Zone in which items fall on days (default Europe/Berlin). */
  zone?: string
  /** Keep items due on or after this local date (yyyy-mm-dd). */
  from?: string
  /** Keep items due on or before this local date (yyyy-mm-dd). */
  to?: string
  kinds?: readonly CalendarKind[]
  statuses?: readonly CalendarStatus[]
}

/**
 * Merges the calendars of several organisations into one list: duplicates (same org,
 * kind and id) collapse to the last one given, filters apply, and items are ordered by
 * local day, all-day items before timed ones, then time, organisation, kind and title.
 */
export function mergeCalendarItems(
  lists: readonly (readonly CalendarItem[])[],
  options: MergeOptions = {},
): CalendarItem[] {
  const zone = options.zone ?? 'Europe/Berlin'
  const byKey = new Map<string, CalendarItem>()
  for (const list of lists) for (const item of list) byKey.set(calendarItemKey(item), item)
  const rows = [...byKey.values()]
    .map((item) => ({
      item,
      day: localDueDate(item, zone),
      ms: isAllDay(item) ? Number.NEGATIVE_INFINITY : Date.parse(item.due),
    }))
    .filter(
      (r) =>
        (!options.from || r.day >= options.from) &&
        (!options.to || r.day <= options.to) &&
        (!options.kinds || options.kinds.includes(r.item.kind)) &&
        (!options.statuses || options.statuses.includes(r.item.status)),
    )
  rows.sort(
    (a, b) =>
      a.day.localeCompare(b.day) ||
      a.ms - b.ms ||
      a.item.orgName.localeCompare(b.item.orgName) ||
      KIND_ORDER[a.item.kind] - KIND_ORDER[b.item.kind] ||
      a.item.title.en.localeCompare(b.item.title.en) ||
      a.item.id.localeCompare(b.item.id),
  )
  return rows.map((r) => r.item)
}

/** Items grouped by local day, in order, for a calendar or agenda view. */
export function groupByDay(
  items: readonly CalendarItem[],
  zone = 'Europe/Berlin',
): { date: string; items: CalendarItem[] }[] {
  const out: { date: string; items: CalendarItem[] }[] = []
  for (const item of items) {
    const date = localDueDate(item, zone)
    const last = out[out.length - 1]
    if (last?.date === date) last.items.push(item)
    else out.push({ date, items: [item] })
  }
  return out
}
