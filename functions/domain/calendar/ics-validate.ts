/**
 * A strict checker for the iCalendar text ismsflow produces (RFC 5545): CRLF line endings,
 * folding at 75 octets, content-line syntax, balanced components, the required calendar
 * and event properties, value formats. Used by tests and by the feed's self-check.
 */
import { utf8Length } from './ics.js'

/** A property as read from the feed (unfolded, TEXT not yet unescaped). */
export interface IcsProperty {
  name: string
  params: Record<string, string>
  value: string
}

/** What `validateIcs` found. */
export interface IcsReport {
  valid: boolean
  errors: string[]
  /** Calendar-level properties. */
  calendar: IcsProperty[]
  /** The events' properties, in order. */
  events: IcsProperty[][]
}

/** Reverses TEXT escaping (`\\n` → newline, `\\,` → `,` …). */
export function unescapeIcsText(value: string): string {
  return value.replace(/\\([\\;,nN])/g, (_, c: string) => (c === 'n' || c === 'N' ? '\n' : c))
}

const CONTENT_LINE =
  /^([A-Za-z0-9-]+)((?:;[A-Za-z0-9-]+=(?:"[^"]*"|[^";:,]*)(?:,(?:"[^"]*"|[^";:,]*))*)*):(.*)$/
const PARAM = /;([A-Za-z0-9-]+)=("[^"]*"|[^";:,]*(?:,[^";:,]*)*)/g
const UTC_DATE_TIME = /^\d{8}T\d{6}Z$/
const DATE_TIME = /^\d{8}T\d{6}Z?$/
const DATE = /^\d{8}$/
const TEXT_PROPS = new Set(['SUMMARY', 'DESCRIPTION', 'LOCATION', 'COMMENT', 'X-WR-CALNAME', 'CATEGORIES'])

/** Checks an iCalendar text; `valid` is true only when `errors` is empty. */
export function validateIcs(text: string): IcsReport {
  const errors: string[] = []
  const report = (): IcsReport => ({ valid: errors.length === 0, errors, calendar, events })
  const calendar: IcsProperty[] = []
  const events: IcsProperty[][] = []
  if (typeof text !== 'string' || text === '') {
    errors.push('empty')
    return report()
  }
  if (!text.endsWith('\r\n')) errors.push('the last line does not end with CRLF')
  if (/\r(?!\n)|(?<!\r)\n/.test(text)) errors.push('line endings must be CRLF (found a bare CR or LF)')
  const physical = text.split('\r\n')
  if (physical[physical.length - 1] === '') physical.pop()
  physical.forEach((l, i) => {
    const octets = utf8Length(l)
    if (octets > 75) errors.push(`line ${i + 1} is ${octets} octets long (max 75; fold it)`)
  })
  // Unfold: a line starting with a space or tab continues the previous one.
  const logical: { line: string; at: number }[] = []
  physical.forEach((l, i) => {
    if ((l.startsWith(' ') || l.startsWith('\t')) && logical.length)
      logical[logical.length - 1].line += l.slice(1)
    else logical.push({ line: l, at: i + 1 })
  })

  const stack: string[] = []
  let event: IcsProperty[] | undefined
  for (const { line, at } of logical) {
    const m = CONTENT_LINE.exec(line)
    if (!m) {
      errors.push(`line ${at}: not a content line: ${line.slice(0, 40)}`)
      continue
    }
    const name = m[1].toUpperCase()
    const params: Record<string, string> = {}
    for (const p of m[2].matchAll(PARAM)) params[p[1].toUpperCase()] = p[2].replace(/^"|"$/g, '')
    const value = m[3]
    // biome-ignore lint/suspicious/noControlCharactersInRegex: RFC 5545 forbids control characters in values
    if (/[\u0000-\u0008\u000a-\u001f\u007f]/.test(value))
      errors.push(`line ${at}: control character in ${name}`)
    if (name === 'BEGIN') {
      if (stack.length === 0 && value !== 'VCALENDAR')
        errors.push(`line ${at}: the text must start with BEGIN:VCALENDAR`)
      stack.push(value)
      if (value === 'VEVENT') {
        if (stack.length !== 2 || stack[0] !== 'VCALENDAR')
          errors.push(`line ${at}: VEVENT must sit directly in VCALENDAR`)
        event = []
      }
      continue
    }
    if (name === 'END') {
      const open = stack.pop()
      if (open !== value) errors.push(`line ${at}: END:${value} closes ${open ? `BEGIN:${open}` : 'nothing'}`)
      if (value === 'VEVENT' && event) {
        events.push(event)
        event = undefined
      }
      if (stack.length === 0 && at !== logical[logical.length - 1].at)
        errors.push(`line ${at}: content after END:VCALENDAR`)
      continue
    }
    if (stack.length === 0) {
      errors.push(`line ${at}: ${name} outside VCALENDAR`)
      continue
    }
    if (TEXT_PROPS.has(name) && value.replace(/\\[\\;,nN]/g, '').includes('\\'))
      errors.push(`line ${at}: bad escape in ${name}`)
    const prop = { name, params, value }
    if (event) event.push(prop)
    else if (stack.length === 1) calendar.push(prop)
  }
  if (stack.length) errors.push(`unclosed ${stack.map((s) => `BEGIN:${s}`).join(', ')}`)

  const count = (props: IcsProperty[], n: string) => props.filter((p) => p.name === n).length
  const one = (props: IcsProperty[], n: string, where: string) => {
    const c = count(props, n)
    if (c !== 1) errors.push(`${where}: ${n} must appear once (found ${c})`)
    return props.find((p) => p.name === n)
  }
  const version = one(calendar, 'VERSION', 'VCALENDAR')
  if (version && version.value !== '2.0') errors.push('VCALENDAR: VERSION must be 2.0')
  one(calendar, 'PRODID', 'VCALENDAR')
  if (count(calendar, 'CALSCALE') > 1) errors.push('VCALENDAR: CALSCALE at most once')

  const uids = new Set<string>()
  events.forEach((ev, i) => {
    const where = `VEVENT ${i + 1}`
    const uid = one(ev, 'UID', where)
    if (uid) {
      if (uids.has(uid.value)) errors.push(`${where}: duplicate UID ${uid.value}`)
      uids.add(uid.value)
    }
    const stamp = one(ev, 'DTSTAMP', where)
    if (stamp && !UTC_DATE_TIME.test(stamp.value)) errors.push(`${where}: DTSTAMP must be a UTC date-time`)
    const start = one(ev, 'DTSTART', where)
    const end = ev.find((p) => p.name === 'DTEND')
    for (const p of [start, end]) {
      if (!p) continue
      const isDate = p.params.VALUE === 'DATE'
      if (isDate ? !DATE.test(p.value) : !DATE_TIME.test(p.value))
        errors.push(`${where}: ${p.name} ${p.value} is not a ${isDate ? 'DATE' : 'DATE-TIME'}`)
    }
    if (start && end) {
      if ((start.params.VALUE === 'DATE') !== (end.params.VALUE === 'DATE'))
        errors.push(`${where}: DTSTART and DTEND must be of one type`)
      else if (end.value <= start.value) errors.push(`${where}: DTEND must be after DTSTART`)
    }
    if (count(ev, 'DTEND') > 1 || (end && ev.some((p) => p.name === 'DURATION')))
      errors.push(`${where}: DTEND at most once, not with DURATION`)
  })
  return report()
}
