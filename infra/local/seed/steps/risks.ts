import { z } from 'zod'
import type { Deps } from '../../../../functions/api/env.js'
import { namesOf, orgPeople } from '../../../../functions/api/people.js'
import { startTreatment } from '../../../../functions/api/routes/risks/workflow.js'
import { completeTask } from '../../../../functions/api/task-completion.js'
import {
  addDays,
  measureSchema,
  riskFieldsSchema,
  toIsoDate,
  treatmentPlanSchema,
} from '../../../../functions/domain/risk/index.js'
import { isOpen, type TaskRole } from '../../../../functions/domain/tasks.js'
import { emptyRiskState, RISK, type RiskData } from '../../../../functions/store/risk-register.js'
import type { TaskRecord } from '../../../../functions/store/tasks.js'
import demoRisksData from '../data/risks.json' with { type: 'json' }
import type { SeedStep } from '../types.js'

/** How far the demo drives a risk through `risk-treatment` (through the engine, like people would). */
const target = z.enum(['pending', 'approved', 'accepted', 'treated'])

/**
 * One demo risk of `../data/risks.json`: its register entry and plan, checked by the rules a
 * person's input meets (measure due dates are days from the seed day), and where its
 * treatment stands.
 */
const demoRisk = z.strictObject({
  orgId: z.string(),
  id: z.string(),
  risk: riskFieldsSchema,
  plan: treatmentPlanSchema
    .extend({
      measures: z.array(measureSchema.omit({ dueDate: true }).extend({ dueInDays: z.int() })).default([]),
    })
    .optional(),
  target: target.optional(),
  /** Management's comment when the demo decides. */
  comment: z.string().optional(),
})
type DemoRisk = z.infer<typeof demoRisk>

const PEOPLE: Record<'iso' | 'management' | 'member', { userId: string; name: string; roles: TaskRole[] }> = {
  iso: { userId: 'demo-iso', name: 'Ines Sommer', roles: ['iso'] },
  management: { userId: 'demo-management', name: 'Martin Brandt', roles: ['management'] },
  member: { userId: 'demo-member', name: 'Mia Keller', roles: ['member'] },
}

/** Nordlicht's register (and a little for Hafenstadt): realistic risks of a machine builder supplying OEMs. */
export const DEMO_RISKS: DemoRisk[] = z.array(demoRisk).parse(demoRisksData)

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** Completes a task as a person would, through the one completion path (form validation included). */
const complete = (
  deps: Deps,
  rec: TaskRecord,
  answers: Record<string, unknown>,
  by: { userId: string; name: string; roles: TaskRole[] },
) => completeTask(deps, { ...by, orgId: rec.orgId }, rec, answers)

/**
 * Drives one demo risk through `risk-treatment` until it reaches its target: submitted
 * (waiting for management), approved with one measure done, accepted, or treated. Only a risk
 * without any round is started (deterministic execution name); one already started is left to
 * the people working on it. Answers 1 when it started an execution.
 */
async function drive(deps: Deps, d: DemoRisk, log: (line: string) => void): Promise<number> {
  const org = deps.records.forOrg(d.orgId)
  const rec = await org.require<RiskData>(RISK, d.id)
  // Only a run that starts the execution drives it: later, people may be working on the risk.
  if (rec.data.rounds.length > 0 || rec.data.execution) return 0
  const people = namesOf(await orgPeople(deps, d.orgId))
  const run = await startTreatment(
    deps,
    { orgId: d.orgId, riskId: d.id, requestedBy: PEOPLE.iso.userId, reason: 'submission', people },
    rec.version,
  )
  await org.mutate<RiskData>(
    RISK,
    d.id,
    (x) => ({
      ...x,
      execution: x.execution ?? {
        arn: run.executionArn,
        name: run.name,
        startedAt: deps.now().toISOString(),
        startedBy: PEOPLE.iso.userId,
      },
    }),
    { actor: { userId: PEOPLE.iso.userId, name: PEOPLE.iso.name }, action: 'risk.submit' },
  )
  // Each step waits until the engine has moved on: the target is reached or a task is open.
  const reached = (x: RiskData) => {
    const done = Object.values(x.measureProgress).filter((m) => m.status === 'done').length
    if (d.target === 'pending') return x.rounds.length > 0
    if (d.target === 'approved') return x.status === 'approved' && done >= 1
    return x.status === d.target
  }
  const handled = new Set<string>()
  let measuresDone = 0
  for (let i = 0; i < 400; i++) {
    if (reached((await org.require<RiskData>(RISK, d.id)).data)) return 1
    const open = (await deps.taskStore.list(d.orgId)).filter(
      (t) => t.data.subject?.id === d.id && isOpen(t.data) && !handled.has(t.id),
    )
    // Pending stays with management; an approved plan keeps its other measures open.
    const mayMeasure = d.target === 'treated' || measuresDone === 0
    const next =
      d.target === 'pending'
        ? undefined
        : (open.find((t) => t.data.kind === 'risk-approval') ??
          (mayMeasure ? open.find((t) => t.data.kind === 'risk-measure') : undefined))
    const verification = open.find((t) => t.data.kind === 'risk-verification')
    if (next?.data.kind === 'risk-approval') {
      handled.add(next.id)
      await complete(deps, next, { decision: { outcome: 'approve', comment: d.comment } }, PEOPLE.management)
    } else if (next) {
      handled.add(next.id)
      measuresDone++
      const owner = Object.values(PEOPLE).find((p) => p.userId === next.data.assigneeUserId) ?? PEOPLE.member
      const what =
        (next.data.context.measure as { description?: string } | undefined)?.description ?? 'measure'
      await complete(deps, next, { summary: `Done: ${what}. Evidence in the IT ticket system.` }, owner)
    } else if (verification && d.plan) {
      handled.add(verification.id)
      await complete(
        deps,
        verification,
        {
          residualLikelihood: d.plan.targetLikelihood,
          residualImpact: d.plan.targetImpact,
          effectiveness:
            'MFA enforced for all accounts (sign-in report checked); phishing simulation click rate down from 14 % to 3 %.',
        },
        PEOPLE.iso,
      )
    } else await wait(25)
  }
  log(`seed: risks: ${d.orgId}/${d.id} did not reach ${d.target} in time`)
  return 1
}

/**
 * Seed step: the demo risk registers (the data is `../data/risks.json`). Creates the risks with their plans (a second start finds
 * them and writes nothing), then, when the engine is reachable, drives four Nordlicht risks
 * through `risk-treatment` with deterministic execution names: one waiting for management,
 * one approved with measures in progress, one accepted with an expiry, one treated.
 */
export const risks: SeedStep = {
  name: 'risks',
  async run({ deps, actor, log }) {
    let created = 0
    const today = toIsoDate(deps.now())
    for (const d of DEMO_RISKS) {
      const org = deps.records.forOrg(d.orgId)
      if (await org.get(RISK, d.id)) continue
      const plan = d.plan
        ? {
            option: d.plan.option,
            targetLikelihood: d.plan.targetLikelihood,
            targetImpact: d.plan.targetImpact,
            justification: d.plan.justification,
            measures: d.plan.measures.map(({ dueInDays, ...m }) => ({
              ...m,
              dueDate: addDays(today, dueInDays),
            })),
          }
        : null
      const data: RiskData = { ...d.risk, ...emptyRiskState(), plan }
      if (plan) data.status = 'treatment-planned'
      await org.create<RiskData>(RISK, d.id, data, { actor, action: 'risk.create' })
      created++
    }
    const driven = DEMO_RISKS.filter((d) => d.target)
    try {
      await deps.workflows.definition(deps.workflows.machineArn('risk-treatment'))
    } catch (err) {
      log(`seed: risk workflows skipped, the workflow engine is not reachable (${(err as Error).name})`)
      return created
    }
    // The four executions are independent: drive them side by side.
    for (const n of await Promise.all(driven.map((d) => drive(deps, d, log)))) created += n
    return created
  },
}
