/**
 * iCalendar (RFC 5545) feed of calendar items, for Outlook and Google Calendar
 * subscriptions: one VCALENDAR (METHOD:PUBLISH) with a VEVENT per item. All-day items
 * are `DTSTART;VALUE=DATE`, timed items UTC date-times. Text is escaped, lines are folded
 * at 75 octets without splitting a UTF-8 character, and every line ends with CRLF.
 */
import { CALENDAR_KIND_LABELS, CALENDAR_STATUS_LABELS, type CalendarItem, isAllDay } from './items.js'

/** Options of a feed. */
export interface IcsOptions {
  /** Calendar name shown by the client (X-WR-CALNAME). */
  name: string
  /** Language of titles and labels. */
  locale?: 'en' | 'de'
  /** DTSTAMP of every event (the feed's generation time). */
  now: Date
  /** Base for item URLs that are paths, e.g. `https://isms.example.com`. */
  baseUrl?: string
  /** Right-hand side of UIDs; default `ismsflow`. */
  uidDomain?: string
  /** Suggested refresh interval in minutes (REFRESH-INTERVAL, X-PUBLISHED-TTL); default 60. */
  refreshMinutes?: number
}

/** The PRODID of ismsflow feeds. */
export const ICS_PRODID = '-//ismsflow//Calendar 1.0//EN'

/** Escapes a TEXT value: backslash, semicolon, comma, newlines; drops other control characters. */
export function escapeIcsText(text: string): string {
  return (
    text
      .replace(/\\/g, '\\\\')
      .replace(/;/g, '\\;')
      .replace(/,/g, '\\,')
      .replace(/\r\n|\r|\n/g, '\\n')
      // biome-ignore lint/suspicious/noControlCharactersInRegex: RFC 5545 forbids control characters in values
      .replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '')
  )
}

/**
 * Folds one content line: at most 75 octets per physical line (continuations start with a
 * space), never inside a UTF-8 sequence; joined with CRLF.
 */
export function foldIcsLine(line: string): string {
  if (line.length <= 75 && utf8Length(line) <= 75) return line
  const out: string[] = []
  let current = ''
  let size = 0
  for (const ch of line) {
    const n = utf8Length(ch)
    const limit = out.length === 0 ? 75 : 74 // continuation lines spend one octet on the leading space
    if (size + n > limit) {
      out.push(current)
      current = ''
      size = 0
    }
    current += ch
    size += n
  }
  out.push(current)
  return out.map((l, i) => (i === 0 ? l : ` ${l}`)).join('\r\n')
}

/** UTF-8 length of a string in octets (without encoding it). */
export function utf8Length(text: string): number {
  let n = 0
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c < 0x80) n += 1
    else if (c < 0x800) n += 2
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      n += 4 // a surrogate pair: one four-octet character
      i++
    } else n += 3
  }
  return n
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0')
/** UTC date-time form: 20260401T070000Z. */
export const icsDateTime = (d: Date) =>
  `${pad(d.getUTCFullYear(), 4)}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}T${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${pad(d.getUTCSeconds())}Z`
const icsDate = (ymd: string) => ymd.replace(/-/g, '')
const nextDay = (ymd: string) => {
  const d = new Date(`${ymd}T00:00:00Z`)
  d.setUTCDate(d.getUTCDate() + 1)
  return d.toISOString().slice(0, 10).replace(/-/g, '')
}

const absoluteUrl = (url: string, base?: string): string | undefined => {
  try {
    const u = base ? new URL(url, base) : new URL(url)
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : undefined
  } catch {
    return undefined
  }
}

/** The stable UID of an item: the same item keeps its UID across feeds and edits. */
export const icsUid = (item: Pick<CalendarItem, 'orgId' | 'kind' | 'id'>, domain = 'ismsflow') =>
  `${item.kind}-${item.orgId}-${item.id}@${domain}`

function eventLines(item: CalendarItem, o: IcsOptions): string[] {
  const lang = o.locale ?? 'en'
  const kind = CALENDAR_KIND_LABELS[item.kind][lang]
  const status = CALENDAR_STATUS_LABELS[item.status][lang]
  const url = absoluteUrl(item.url, o.baseUrl)
  const description = [`${kind} · ${status} · ${item.orgName}`, item.description?.[lang], url]
    .filter(Boolean)
    .join('\n')
  const lines = [
    'BEGIN:VEVENT',
    `UID:${escapeIcsText(icsUid(item, o.uidDomain))}`,
    `DTSTAMP:${icsDateTime(o.now)}`,
  ]
  if (isAllDay(item))
    lines.push(`DTSTART;VALUE=DATE:${icsDate(item.due)}`, `DTEND;VALUE=DATE:${nextDay(item.due)}`)
  else lines.push(`DTSTART:${icsDateTime(new Date(item.due))}`)
  lines.push(
    `SUMMARY:${escapeIcsText(`${item.orgName}: ${item.title[lang]}${item.status === 'done' ? ` (${status})` : ''}`)}`,
    `DESCRIPTION:${escapeIcsText(description)}`,
  )
  if (url) lines.push(`URL:${url}`)
  lines.push(
    `CATEGORIES:${[kind, item.orgName].map(escapeIcsText).join(',')}`,
    `STATUS:${item.status === 'cancelled' ? 'CANCELLED' : 'CONFIRMED'}`,
    'TRANSP:TRANSPARENT',
    'END:VEVENT',
  )
  return lines
}

/**
 * Builds the feed. Items are written in the order given (merge and sort them first with
 * `mergeCalendarItems`).
 *
 * @example buildIcs(items, { name: 'ismsflow — Jane Doe', now: new Date(), baseUrl: 'https://isms.example.com' })
 */
export function buildIcs(items: readonly CalendarItem[], options: IcsOptions): string {
  const refresh = options.refreshMinutes ?? 60
  const lines = [
    'BEGIN:VCALENDAR',
    `PRODID:${ICS_PRODID}`,
    'VERSION:2.0',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    `X-WR-CALNAME:${escapeIcsText(options.name)}`,
    `REFRESH-INTERVAL;VALUE=DURATION:PT${refresh}M`,
    `X-PUBLISHED-TTL:PT${refresh}M`,
    ...items.flatMap((item) => eventLines(item, options)),
    'END:VCALENDAR',
  ]
  return `${lines.map(foldIcsLine).join('\r\n')}\r\n`
}
