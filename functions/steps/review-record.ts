/**
 * Periodic review, recording steps: the workflow calls this with an `action` at each turn —
 * `overdue` (not done by the due date: reminder to the performer), `escalated` (grace period
 * over: management is told), `performed` (answers in), `signed-off` (management's decision),
 * `completed` (result recorded with its period, actions derived, baseline for the next cycle,
 * next due date) and `action-done`. Every action sets state derived from its input, so a
 * repeated invocation changes nothing more.
 */

import { z } from 'zod'
import {
  type AccessLine,
  actionsFromAnswers,
  entryTiming,
  REVIEW,
  REVIEW_ENTRY,
  type ReviewAction,
  type ReviewCycle,
  type ReviewEntry,
  type RiskLine,
  riskLine,
} from '../domain/reviews/index.js'
import { describeNextDue } from '../domain/schedules/index.js'
import { notify } from '../mail/index.js'
import { notifyDeps, type StepDeps } from './deps.js'
import { REVIEW_ACTOR } from './review-common.js'
import { accessList } from './review-prepare.js'
import { defineStep } from './step.js'

const DAY_MS = 86_400_000

const taskResult = z
  .object({
    taskId: z.string().min(1),
    answers: z.record(z.string(), z.unknown()),
    completedBy: z.string().min(1),
    completedByName: z.string().optional(),
    completedAt: z.string().min(1),
    computed: z.record(z.string(), z.unknown()).optional(),
  })
  .passthrough()

const target = { orgId: z.string().min(2), reviewId: z.string().min(1) }

/** Input: one of the recording actions. */
export const reviewRecordInput = z.discriminatedUnion('action', [
  z.object({ action: z.literal('overdue'), ...target }).strict(),
  z.object({ action: z.literal('escalated'), ...target }).strict(),
  z
    .object({ action: z.literal('performed'), ...target, result: taskResult, round: z.number().int().min(1) })
    .strict(),
  z.object({ action: z.literal('signed-off'), ...target, decision: taskResult }).strict(),
  z.object({ action: z.literal('completed'), ...target }).strict(),
  z
    .object({ action: z.literal('action-done'), ...target, actionId: z.string().min(1), result: taskResult })
    .strict(),
])

type Input = z.infer<typeof reviewRecordInput>

/** Step handler (Lambda `ismsflow-review-record`). */
export const handler = defineStep({
  name: 'review-record',
  input: reviewRecordInput,
  async run(input, deps): Promise<Record<string, unknown>> {
    const org = deps.records.forOrg(input.orgId)
    const now = deps.now()
    const at = now.toISOString()
    const write = (action: string, fn: (c: ReviewCycle) => ReviewCycle) =>
      org.mutate<ReviewCycle>(REVIEW, input.reviewId, fn, { actor: REVIEW_ACTOR, action })

    switch (input.action) {
      case 'overdue': {
        const rec = await write('review.overdue', (c) => ({
          ...c,
          status: c.status === 'open' ? 'overdue' : c.status,
          // Overdue since the due date (noticed now; the grace period runs from now).
          overdue: c.overdue ?? { at: c.dueAt },
        }))
        const c = rec.data
        await notify(notifyDeps(deps), input.orgId, `${input.orgId}:review:${input.reviewId}:overdue`, {
          kind: 'overdue',
          to: c.performer.userId ? { userId: c.performer.userId } : { role: c.performer.role },
          subject: { en: `Overdue: ${c.title.en}`, de: `Überfällig: ${c.title.de}` },
          body: {
            en: `This review was due on ${c.dueAt.slice(0, 10)}. Please complete it; otherwise it is escalated to management.`,
            de: `Diese Überprüfung war am ${c.dueAt.slice(0, 10)} fällig. Bitte schließen Sie sie ab; sonst wird sie an die Leitung eskaliert.`,
          },
          ref: { type: REVIEW, id: input.reviewId },
          data: { title: c.title, dueAt: c.dueAt },
        })
        const entry = await org.get<ReviewEntry>(REVIEW_ENTRY, c.entryId)
        const graceDays = entry?.data.escalationGraceDays ?? 7
        const graceSeconds = Math.max(60, graceDays * 86_400)
        return {
          dueAt: new Date(now.getTime() + graceSeconds * 1000).toISOString(),
          timeoutSeconds: graceSeconds,
        }
      }
      case 'escalated': {
        const rec = await write('review.escalated', (c) => ({
          ...c,
          status: c.status === 'completed' ? c.status : 'escalated',
          escalated: c.escalated ?? { at },
        }))
        const c = rec.data
        await notify(notifyDeps(deps), input.orgId, `${input.orgId}:review:${input.reviewId}:escalated`, {
          kind: 'escalation',
          to: { role: 'management' },
          subject: { en: `Escalated: ${c.title.en}`, de: `Eskaliert: ${c.title.de}` },
          body: {
            en: `This review was due on ${c.dueAt.slice(0, 10)} and is still not done. It is now in management's inbox.`,
            de: `Diese Überprüfung war am ${c.dueAt.slice(0, 10)} fällig und ist noch nicht erledigt. Sie liegt jetzt im Eingang der Leitung.`,
          },
          ref: { type: REVIEW, id: input.reviewId },
          data: { title: c.title, dueAt: c.dueAt },
        })
        return { dueAt: new Date(now.getTime() + 7 * DAY_MS).toISOString() }
      }
      case 'performed': {
        const r = input.result
        const rec = await write('review.performed', (c) => ({
          ...c,
          status: c.signOff.required ? 'sign-off' : c.status,
          rounds: Math.max(c.rounds, input.round),
          taskId: r.taskId,
          answers: r.answers,
          ...(r.computed ? { computed: r.computed } : {}),
          performedBy: r.completedBy,
          performedByName: r.completedByName,
          performedAt: r.completedAt,
        }))
        return { performedBy: rec.data.performedBy, status: rec.data.status }
      }
      case 'signed-off':
        return signedOff(input, write)
      case 'completed':
        return completed(input, deps, write, now)
      case 'action-done': {
        const r = input.result
        await write('review.action-done', (c) => ({
          ...c,
          actions: c.actions.map(
            (a): ReviewAction =>
              a.id === input.actionId
                ? {
                    ...a,
                    status: 'done',
                    taskId: r.taskId,
                    completedBy: r.completedBy,
                    completedByName: r.completedByName,
                    completedAt: r.completedAt,
                    note: typeof r.answers.done === 'string' ? r.answers.done.slice(0, 2000) : a.note,
                  }
                : a,
          ),
        }))
        return { actionId: input.actionId, status: 'done' }
      }
    }
  },
})

type Write = (action: string, fn: (c: ReviewCycle) => ReviewCycle) => Promise<{ data: ReviewCycle }>

async function signedOff(input: Extract<Input, { action: 'signed-off' }>, write: Write) {
  const d = input.decision
  const decision = (d.answers.decision ?? {}) as { outcome?: string; comment?: string }
  const outcome = decision.outcome === 'approve' ? 'approve' : 'request-changes'
  await write('review.signed-off', (c) => {
    if (c.signOff.history.some((h) => (h as { taskId?: string }).taskId === d.taskId)) return c
    const entry = {
      outcome,
      by: d.completedBy,
      byName: d.completedByName,
      at: d.completedAt,
      comment: decision.comment,
      taskId: d.taskId,
    }
    return {
      ...c,
      status: outcome === 'approve' ? c.status : 'rework',
      signOff: {
        ...c.signOff,
        ...(outcome === 'approve'
          ? {
              outcome,
              by: d.completedBy,
              byName: d.completedByName,
              at: d.completedAt,
              comment: decision.comment,
            }
          : {}),
        history: [...c.signOff.history, entry],
      },
    }
  })
  return { outcome, comment: decision.comment ?? '' }
}

async function completed(
  input: Extract<Input, { action: 'completed' }>,
  deps: StepDeps,
  write: Write,
  now: Date,
) {
  const org = deps.records.forOrg(input.orgId)
  const current = await org.require<ReviewCycle>(REVIEW, input.reviewId, 'Review')
  if (current.data.status === 'completed')
    return {
      actions: current.data.actions.filter((a) => a.status === 'open'),
      nextDue: current.data.nextDue ?? null,
    }
  let risks: RiskLine[] | undefined
  let access: AccessLine[] | undefined
  // The baseline is a snapshot of the whole register by design (the next review compares with
  // it): every risk is read, in the store's pages, and kept as one line each.
  if (current.data.kind === 'risk-review') risks = (await org.all('risk')).map((r) => riskLine(r.id, r.data))
  if (current.data.kind === 'access-review') access = await accessList(deps, input.orgId)
  const entry = await org.get<ReviewEntry>(REVIEW_ENTRY, current.data.entryId)
  const nextDue = entry?.data.enabled ? describeNextDue(entryTiming(entry.data), now) : undefined
  const rec = await write('review.completed', (c) => ({
    ...c,
    status: 'completed',
    completedAt: now.toISOString(),
    actions: c.actions.length ? c.actions : actionsFromAnswers(c.answers, input.reviewId, now),
    baseline: { ...(risks ? { risks } : {}), ...(access ? { access } : {}) },
    ...(nextDue ? { nextDue } : {}),
  }))
  return { actions: rec.data.actions.filter((a) => a.status === 'open'), nextDue: rec.data.nextDue ?? null }
}
