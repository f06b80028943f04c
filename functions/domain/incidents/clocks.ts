/**
 * The reporting clocks of a security incident, computed purely from when we became aware, how
 * the incident is classified, the organisation's reporting regime and the reports sent so far.
 * Hours are elapsed time in UTC (72 h stay 72 h across a daylight-saving change); months follow
 * the EU rule on the organisation's wall clock (`months.ts`).
 *
 * - BSIG §32(1): early warning within 24 h (no. 1), notification within 72 h (no. 2; 24 h for
 *   trust service providers, Art. 23(4)(b) NIS2), an intermediate report when the BSI asks
 *   (no. 3), a final report one month after the notification (no. 4); §32(2): still ongoing
 *   then, a progress report instead and the final report one month after the incident is closed.
 * - GDPR Art. 33(1): the authority within 72 h unless unlikely to result in a risk (the reason
 *   recorded, Art. 33(5)); Art. 34(1): the people affected without undue delay when a high risk is
 *   likely, unless an exception of Art. 34(3) applies.
 * - DORA Art. 19(4) with Delegated Regulation (EU) 2025/301 Art. 5: initial notification 4 h after
 *   classification as major and at most 24 h after awareness, intermediate report 72 h after the
 *   initial notification, final report one month after the intermediate report. DORA replaces
 *   the NIS2 reporting for financial entities.
 */
import { addCalendarMonths } from './months.js'
import { clockTitle, STOP_REASONS } from './texts.js'
import type { ClockInput, ClockKind, Deadline, SentReport } from './types.js'

const HOUR = 3_600_000

const plusHours = (iso: string, h: number) => new Date(Date.parse(iso) + h * HOUR).toISOString()
const earlier = (a: string, b: string) => (Date.parse(a) <= Date.parse(b) ? a : b)

/** The first report sent for a kind (corrections are later entries and do not move it). */
export function firstSent(reports: readonly SentReport[], kind: ClockKind): SentReport | undefined {
  return reports
    .filter((r) => r.kind === kind && !r.correctionOf)
    .sort((a, b) => Date.parse(a.sentAt) - Date.parse(b.sentAt))[0]
}

/** Whether NIS2 reporting applies (essential, important or KRITIS, and not replaced by DORA). */
export function nis2Applies(input: Pick<ClockInput, 'regime'>): boolean {
  return input.regime.category !== 'none' && !input.regime.doraFinancialEntity
}

type Draft = Omit<Deadline, 'status' | 'title' | 'slot'> & { slot?: string }

/**
 * Every deadline known now, with its status at `now`. A clock that depends on something not yet
 * done (the final report on the notification, DORA's intermediate report on the initial one) is
 * listed once it can be computed.
 */
export function deadlines(input: ClockInput, now: Date): Deadline[] {
  const { awareAt, regime, classification: c, reports, timeZone } = input
  const out: Draft[] = []
  const stop = (d: Draft, rule: Deadline['stoppedRule'], reason?: string): Draft => ({
    ...d,
    stoppedRule: rule,
    ...(reason ? { stoppedReason: reason } : {}),
  })
  const provisional = c.significant === null ? { provisional: true } : {}

  if (nis2Applies(input)) {
    const notSignificant = c.significant === false
    const nis2 = (d: Draft) =>
      notSignificant ? stop(d, STOP_REASONS.notSignificant, c.notSignificantReason) : { ...d, ...provisional }
    out.push(nis2({ kind: 'nis2-early-warning', startAt: awareAt, dueAt: plusHours(awareAt, 24) }))
    out.push(
      nis2({
        kind: 'nis2-notification',
        startAt: awareAt,
        dueAt: plusHours(awareAt, regime.trustServiceProvider ? 24 : 72),
      }),
    )
    if (input.bsiRequest)
      out.push(
        nis2({
          kind: 'nis2-intermediate',
          startAt: input.bsiRequest.requestedAt,
          dueAt: input.bsiRequest.dueAt,
        }),
      )
    const notified = firstSent(reports, 'nis2-notification')
    if (notified) {
      const oneMonth = addCalendarMonths(notified.sentAt, 1, timeZone)
      const closed = input.closedAt
      const finalSent = firstSent(reports, 'nis2-final-report')
      const progressSent = firstSent(reports, 'nis2-progress-report')
      const closedInTime = closed !== undefined && Date.parse(closed) <= Date.parse(oneMonth)
      // §32(2): ongoing when the month is up (or a progress report was sent) → progress report then,
      // final report one month after closing.
      // A progress report sent makes it the ongoing case, whenever the incident closes.
      const ongoing =
        progressSent !== undefined ||
        (!closedInTime &&
          finalSent === undefined &&
          (closed !== undefined || now.getTime() > Date.parse(oneMonth)))
      if (!ongoing)
        out.push(
          nis2({ kind: 'nis2-final-report', slot: 'nis2-month', startAt: notified.sentAt, dueAt: oneMonth }),
        )
      else {
        out.push(
          nis2({
            kind: 'nis2-progress-report',
            slot: 'nis2-month',
            startAt: notified.sentAt,
            dueAt: oneMonth,
          }),
        )
        if (closed)
          out.push(
            nis2({
              kind: 'nis2-final-report',
              slot: 'nis2-after-close',
              startAt: closed,
              dueAt: addCalendarMonths(closed, 1, timeZone),
            }),
          )
      }
    }
  }

  if (regime.doraFinancialEntity) {
    const notMajor = c.significant === false
    const dora = (d: Draft) =>
      notMajor ? stop(d, STOP_REASONS.notMajor, c.notSignificantReason) : { ...d, ...provisional }
    const classifiedAt = c.significant === true && c.classifiedAt ? c.classifiedAt : undefined
    const initialDue = classifiedAt
      ? earlier(plusHours(classifiedAt, 4), plusHours(awareAt, 24))
      : plusHours(awareAt, 24)
    out.push(dora({ kind: 'dora-initial', startAt: classifiedAt ?? awareAt, dueAt: initialDue }))
    const initial = firstSent(reports, 'dora-initial')
    if (initial) {
      out.push(
        dora({ kind: 'dora-intermediate', startAt: initial.sentAt, dueAt: plusHours(initial.sentAt, 72) }),
      )
      const intermediate = firstSent(reports, 'dora-intermediate')
      if (intermediate)
        out.push(
          dora({
            kind: 'dora-final',
            startAt: intermediate.sentAt,
            dueAt: addCalendarMonths(intermediate.sentAt, 1, timeZone),
          }),
        )
    }
  }

  if (
    c.personalDataBreach !== false &&
    (c.personalDataBreach === true || reports.some((r) => r.kind.startsWith('gdpr-')))
  ) {
    const gdprProvisional = c.gdprRisk === null ? { provisional: true } : {}
    const authority: Draft = {
      kind: 'gdpr-authority',
      startAt: awareAt,
      dueAt: plusHours(awareAt, 72),
      ...gdprProvisional,
    }
    out.push(
      c.gdprRisk === 'unlikely'
        ? stop(authority, STOP_REASONS.unlikelyRisk, c.notNotifyingReason)
        : authority,
    )
    if (c.gdprRisk === 'high') {
      // "Without undue delay": the page shows the 72 h of Art. 33 as the outer mark.
      const subjects: Draft = { kind: 'gdpr-data-subjects', startAt: awareAt, dueAt: plusHours(awareAt, 72) }
      const ex = c.art34Exception
      out.push(ex && ex !== 'none' ? stop(subjects, STOP_REASONS.art34[ex], c.art34Reason) : subjects)
    }
  }

  return out.map((d) => withStatus(d, reports, regime.trustServiceProvider, now))
}

function withStatus(d: Draft, reports: readonly SentReport[], tsp: boolean, now: Date): Deadline {
  const sent = firstSent(reports, d.kind)
  const base = { ...d, slot: d.slot ?? d.kind, title: clockTitle(d.kind, { trustServiceProvider: tsp }) }
  if (sent) return { ...base, status: 'done', doneAt: sent.sentAt }
  if (d.stoppedRule) return { ...base, status: 'stopped' }
  return { ...base, status: now.getTime() > Date.parse(d.dueAt) ? 'overdue' : 'open' }
}

/** The reminder marks of a clock: 50 % and 90 % of its period. */
export function reminderMarks(d: Pick<Deadline, 'startAt' | 'dueAt'>): { at50: string; at90: string } {
  const start = Date.parse(d.startAt)
  const span = Math.max(0, Date.parse(d.dueAt) - start)
  return {
    at50: new Date(start + Math.round(span * 0.5)).toISOString(),
    at90: new Date(start + Math.round(span * 0.9)).toISOString(),
  }
}
