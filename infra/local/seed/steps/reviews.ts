import type { Deps } from '../../../../functions/api/env.js'
import {
  dueAtOf,
  entryTiming,
  periodOf,
  REVIEW,
  REVIEW_ENTRY,
  REVIEW_WORKFLOW,
  type ReviewCycle,
  type ReviewEntry,
  type RiskLine,
  resolveEntry,
  reviewId,
  reviewStartInput,
  riskLine,
} from '../../../../functions/domain/reviews/index.js'
import { describeNextDue, occurrencesBetween } from '../../../../functions/domain/schedules/index.js'
import { parseReviewTemplates } from '../../../../functions/domain/schedules/templates.js'
import { isAlreadyStarted } from '../../../../functions/workflow-client.js'
import templatesJson from '../../../../workflows/reviews/templates.json' with { type: 'json' }
import type { SeedStep } from '../types.js'
import { lastRestoreTest, technicalCheckFields } from './technical-checks.js'

const DAY = 86_400_000
const ISO = { userId: 'demo-iso', name: 'Ines Sommer' }
const MANAGEMENT = { userId: 'demo-management', name: 'Martin Brandt' }

/** The programmes: Nordlicht runs the six reviews and a backup restore test, Hafenstadt its access review. */
const PROGRAMMES: { orgId: string; kinds: string[] }[] = [
  {
    orgId: 'nordlicht',
    kinds: [
      'risk-review',
      'policy-review',
      'access-review',
      'management-review',
      'obligation-reassessment',
      'supplier-review',
      'backup-restore-test',
    ],
  },
  { orgId: 'hafenstadt', kinds: ['access-review'] },
]

/** Answers of Nordlicht's last risk review (they pre-fill the open one). */
const LAST_RISK_REVIEW_ANSWERS = {
  changesAssessed: 'yes',
  registerComplete: 'yes',
  treatmentStatus: 'delays',
  treatmentNotes:
    'Network segmentation of the press shop slipped by six weeks: the OT switch delivery is late. Interim: jump host enforced for all remote maintenance.',
  withinAppetite: 'yes',
  outcome: 'changes-needed',
  summary:
    'Register reviewed with the plant manager and IT lead. Ransomware on the OT network remains the top risk; supplier portal credential stuffing reduced after MFA roll-out. Two measures are late; no new risk outside the appetite.',
  improvements: 'Add the new paint shop line (commissioned in Q3) to the asset list before the next review.',
  actions:
    'Chase the OT switch delivery and re-plan the segmentation\nAdd the paint shop line to the asset inventory',
}

const occurrencesUpTo = (entry: ReviewEntry, now: Date) =>
  occurrencesBetween(entryTiming(entry), now.getTime() - 2 * 366 * DAY, now.getTime())

/** The last risk review, completed and signed off, with the register as it was then. */
async function lastRiskReview(deps: Deps, orgId: string, entryId: string, entry: ReviewEntry, at: Date) {
  const org = deps.records.forOrg(orgId)
  const id = reviewId(entryId, at)
  if (await org.get(REVIEW, id)) return 0
  const scheduledAt = at.toISOString()
  const performedAt = new Date(at.getTime() + 18 * DAY).toISOString()
  const signedAt = new Date(at.getTime() + 21 * DAY).toISOString()
  // The register then: without the newest risk, and the first one scored one step higher.
  const risks = (await org.all('risk')).map((r) => riskLine(r.id, r.data))
  const baseline: RiskLine[] = risks
    .slice(0, Math.max(0, risks.length - 1))
    .map((r, i) => (i === 0 && r.likelihood ? { ...r, likelihood: Math.min(5, r.likelihood + 1) } : r))
  const cycle: ReviewCycle = {
    entryId,
    kind: entry.kind,
    title: entry.title,
    formId: entry.formId,
    occurrenceId: `${orgId}_${id}`,
    trigger: 'schedule',
    scheduledAt,
    dueAt: dueAtOf(scheduledAt, entry.dueAfterDays),
    period: periodOf(entryTiming(entry), scheduledAt, new Date(at.getTime() - 92 * DAY).toISOString()),
    status: 'completed',
    performer: { role: entry.performerRole },
    rounds: 1,
    taskId: 'seeded',
    answers: LAST_RISK_REVIEW_ANSWERS,
    performedBy: ISO.userId,
    performedByName: ISO.name,
    performedAt,
    signOff: {
      required: true,
      outcome: 'approve',
      by: MANAGEMENT.userId,
      byName: MANAGEMENT.name,
      at: signedAt,
      comment: 'Agreed. Please report the segmentation re-plan in the next management meeting.',
      history: [
        {
          outcome: 'approve',
          by: MANAGEMENT.userId,
          byName: MANAGEMENT.name,
          at: signedAt,
          comment: 'Agreed. Please report the segmentation re-plan in the next management meeting.',
        },
      ],
    },
    actions: LAST_RISK_REVIEW_ANSWERS.actions.split('\n').map((title, i) => ({
      id: `${id}-a${i + 1}`,
      title,
      assignee: { role: 'iso' as const },
      dueAt: new Date(at.getTime() + 51 * DAY).toISOString(),
      status: 'done' as const,
      completedBy: ISO.userId,
      completedByName: ISO.name,
      completedAt: new Date(at.getTime() + (35 + i * 7) * DAY).toISOString(),
      note:
        i === 0
          ? 'New delivery date confirmed; segmentation re-planned for the next quarter.'
          : 'Paint shop line added.',
    })),
    baseline: { risks: baseline },
    completedAt: signedAt,
    nextDue: describeNextDue(entryTiming(entry), signedAt),
  }
  await org.create(REVIEW, id, cycle, { actor: ISO, action: 'review.completed' })
  return 1
}

/** Answers of Nordlicht's management review a year ago (9.3): its decisions and actions. */
const LAST_MANAGEMENT_REVIEW_ANSWERS = {
  attendees: 'Martin Brandt (managing director), Ines Sommer (ISO), plant manager, head of IT',
  inputsCovered: [
    'previous-actions',
    'issues',
    'interested-parties',
    'nonconformities',
    'monitoring',
    'audits',
    'objectives',
    'risks',
    'improvement',
  ],
  decisions:
    'The ISMS is suitable but not yet effective enough for certification. Certification to ISO/IEC 27001 is started with Stage 2 next autumn; TISAX AL3 follows for the OEM customers.',
  resources:
    'One additional OT engineer (half time) for segmentation; budget for an external penetration test.',
  outcome: 'changes-needed',
  summary:
    'Ransomware on the OT network stays the top risk. MFA covers e-mail and VPN but not yet the supplier portal. Management training on the NIS2 duties is missing. No interested-parties register yet.',
  improvements: 'Measure the patch latency of critical patches every month and report it at the next review.',
  actions: [
    'Roll out MFA for the supplier portal',
    'Commission an external penetration test of the internet-facing systems',
    'Management training on the NIS2 duties (§ 38 BSIG)',
    'Set up a register of interested parties and their requirements',
  ].join('\n'),
  actionsAssignee: 'iso',
}

/** What became of each action of the last management review. */
const LAST_MANAGEMENT_REVIEW_NOTES = [
  'MFA enforced for all supplier portal accounts; two inactive accounts removed.',
  'Penetration test done by an outside tester; two high findings fixed and re-tested.',
  'Martin Brandt completed the training; certificate filed, next one due in a year.',
  'Register set up with eight parties and reviewed with management.',
]

/**
 * Last year's management review, completed and signed off by management, with its actions
 * done: the review package's input a) (actions from previous management reviews) reads them.
 */
async function lastManagementReview(
  deps: Deps,
  orgId: string,
  entryId: string,
  entry: ReviewEntry,
  at: Date,
) {
  const org = deps.records.forOrg(orgId)
  const id = reviewId(entryId, at)
  if (await org.get(REVIEW, id)) return 0
  const scheduledAt = at.toISOString()
  const heldOn = new Date(at.getTime() + 23 * DAY)
  const performedAt = new Date(heldOn.getTime() + 2 * DAY).toISOString()
  const signedAt = new Date(heldOn.getTime() + 4 * DAY).toISOString()
  const comment = 'Agreed; the four actions are assigned to the ISO and reported monthly.'
  const cycle: ReviewCycle = {
    entryId,
    kind: entry.kind,
    title: entry.title,
    formId: entry.formId,
    occurrenceId: `${orgId}_${id}`,
    trigger: 'schedule',
    scheduledAt,
    dueAt: dueAtOf(scheduledAt, entry.dueAfterDays),
    period: periodOf(entryTiming(entry), scheduledAt, new Date(at.getTime() - 365 * DAY).toISOString()),
    status: 'completed',
    performer: { role: entry.performerRole },
    rounds: 1,
    taskId: 'seeded',
    answers: {
      ...LAST_MANAGEMENT_REVIEW_ANSWERS,
      heldOn: heldOn.toISOString().slice(0, 10),
      actionsDueOn: new Date(heldOn.getTime() + 120 * DAY).toISOString().slice(0, 10),
    },
    performedBy: ISO.userId,
    performedByName: ISO.name,
    performedAt,
    signOff: {
      required: true,
      outcome: 'approve',
      by: MANAGEMENT.userId,
      byName: MANAGEMENT.name,
      at: signedAt,
      comment,
      history: [
        { outcome: 'approve', by: MANAGEMENT.userId, byName: MANAGEMENT.name, at: signedAt, comment },
      ],
    },
    actions: LAST_MANAGEMENT_REVIEW_ANSWERS.actions.split('\n').map((title, i) => ({
      id: `${id}-a${i + 1}`,
      title,
      assignee: { role: 'iso' as const },
      dueAt: new Date(heldOn.getTime() + 120 * DAY).toISOString(),
      status: 'done' as const,
      completedBy: ISO.userId,
      completedByName: ISO.name,
      completedAt: new Date(heldOn.getTime() + (30 + i * 21) * DAY).toISOString(),
      note: LAST_MANAGEMENT_REVIEW_NOTES[i],
    })),
    completedAt: signedAt,
    nextDue: describeNextDue(entryTiming(entry), signedAt),
  }
  await org.create(REVIEW, id, cycle, { actor: ISO, action: 'review.completed' })
  return 1
}

/** A supplier review that was not done and escalated without result: the miss stays visible. */
async function missedSupplierReview(
  deps: Deps,
  orgId: string,
  entryId: string,
  entry: ReviewEntry,
  at: Date,
) {
  const org = deps.records.forOrg(orgId)
  const id = reviewId(entryId, at)
  if (await org.get(REVIEW, id)) return 0
  const scheduledAt = at.toISOString()
  const dueAt = dueAtOf(scheduledAt, entry.dueAfterDays)
  const cycle: ReviewCycle = {
    entryId,
    kind: entry.kind,
    title: entry.title,
    formId: entry.formId,
    occurrenceId: `${orgId}_${id}`,
    trigger: 'schedule',
    scheduledAt,
    dueAt,
    period: periodOf(entryTiming(entry), scheduledAt, new Date(at.getTime() - 365 * DAY).toISOString()),
    status: 'missed',
    overdue: { at: dueAt },
    escalated: { at: new Date(Date.parse(dueAt) + entry.escalationGraceDays * DAY).toISOString() },
    performer: { role: entry.performerRole },
    rounds: 1,
    signOff: { required: entry.managementSignOff, history: [] },
    actions: [],
    note: {
      en: 'Not done by its due date; reminded, then escalated to management, and closed without a review. The next cycle is scheduled.',
      de: 'Bis zur Fälligkeit nicht erledigt; erinnert, dann an die Leitung eskaliert und ohne Überprüfung geschlossen. Der nächste Durchlauf ist geplant.',
    },
  }
  await org.create(REVIEW, id, cycle, {
    actor: { userId: 'system:workflow', name: 'Periodic review workflow' },
    action: 'review.missed',
  })
  return 1
}

/**
 * Seed step: the review programmes (Nordlicht: quarterly risk, yearly policy, half-yearly
 * access, yearly management, yearly obligation and yearly supplier review, and a quarterly
 * backup restore test due next month with the last one passed; Hafenstadt: its
 * access review) with their schedules; for Nordlicht the last risk review completed and
 * signed off, last year's management review signed off with its four actions done, the current one open in the ISO's inbox (started through the engine, named
 * after its occurrence), and a missed supplier review. Dates follow today's date. Without a
 * scheduler or engine (in-process API tests) it writes nothing.
 */
export const reviews: SeedStep = {
  name: 'reviews',
  async run({ deps, log }) {
    const port = deps.schedules
    try {
      port.assertWritable()
    } catch (err) {
      log(`seed: reviews skipped (${err instanceof Error ? err.message : String(err)})`)
      return 0
    }
    try {
      await deps.workflows.definition(deps.workflows.machineArn(REVIEW_WORKFLOW))
    } catch (err) {
      log(`seed: reviews skipped, the workflow engine is not reachable (${(err as Error).name})`)
      return 0
    }
    const templates = parseReviewTemplates(templatesJson)
    const forms = await deps.forms()
    const now = deps.now()
    let created = 0
    for (const { orgId, kinds } of PROGRAMMES) {
      const org = deps.records.forOrg(orgId)
      const members = new Map((await deps.identity.orgMembers(orgId)).map((m) => [m.userId, m.roles]))
      for (const kind of kinds) {
        let rec = await org.get<ReviewEntry>(REVIEW_ENTRY, kind)
        // Cycles are seeded with a fresh programme only: a later start adds nothing.
        const fresh = !rec
        if (!rec) {
          const others = (await org.all<ReviewEntry>(REVIEW_ENTRY)).map((r) => ({ id: r.id, entry: r.data }))
          const entry = resolveEntry(
            { kind, ...technicalCheckFields(kind, now) },
            { templates, formExists: (id) => forms.get(id) !== undefined, members, others, now },
          )
          rec = await org.create<ReviewEntry>(REVIEW_ENTRY, kind, entry, {
            actor: ISO,
            action: 'review-entry.create',
          })
          await port.upsert(
            {
              orgId,
              id: kind,
              expression: entry.expression,
              timeZone: entry.timeZone,
              createdAt: entry.createdAt,
              enabled: true,
              payload: { kind, entryId: kind },
            },
            ISO,
          )
          created++
        }
        if (orgId !== 'nordlicht' || !fresh) continue
        const past = occurrencesUpTo(rec.data, now)
        if (kind === 'risk-review' && past.length >= 2) {
          created += await lastRiskReview(deps, orgId, kind, rec.data, past[past.length - 2])
          // The current quarter's review, open in the inbox (due three weeks from today).
          const at = past[past.length - 1]
          if (!(await org.get(REVIEW, reviewId(kind, at)))) {
            const { name, input } = reviewStartInput({
              orgId,
              entryId: kind,
              scheduledAt: at,
              trigger: 'seed',
              dueAt: new Date(now.getTime() + 21 * DAY).toISOString(),
            })
            await deps.workflows.start(REVIEW_WORKFLOW, input, name).catch((err) => {
              if (!isAlreadyStarted(err)) throw err
            })
            created++
          }
        }
        // The last restore test, passed; the next one opens next month.
        if (kind === 'backup-restore-test' && past.length >= 1)
          created += await lastRestoreTest(deps, orgId, kind, rec.data, past[past.length - 1])
        // Last year's management review with its actions (not this year's, which may be due now).
        const lastYear = past.filter((at) => at.getTime() < now.getTime() - 200 * DAY)
        if (kind === 'management-review' && lastYear.length >= 1)
          created += await lastManagementReview(deps, orgId, kind, rec.data, lastYear[lastYear.length - 1])
        // The last supplier review whose grace period has run out: missed.
        const lapsed = past.filter(
          (at) => at.getTime() + (rec.data.dueAfterDays + rec.data.escalationGraceDays) * DAY < now.getTime(),
        )
        if (kind === 'supplier-review' && lapsed.length >= 1)
          created += await missedSupplierReview(deps, orgId, kind, rec.data, lapsed[lapsed.length - 1])
      }
    }
    return created
  },
}
