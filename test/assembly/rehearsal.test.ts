import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:http'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { hashPassword } from '../../functions/api/auth/password.js'
import { addDays, toIsoDate } from '../../functions/domain/risk/calendar.js'
import { isOpen, type Task } from '../../functions/domain/tasks.js'
import { functionName, RESOURCE_PREFIX, STEP_FUNCTIONS } from '../../functions/steps/registry.js'
import type { TaskRecord } from '../../functions/store/tasks.js'
import { DEMO_PASSWORD, seed } from '../../infra/local/seed/index.js'
import { type Client, startTestStack } from '../support/stack.js'
import { type Assembly, MAIL_FROM, synthesizeAssembly } from './support/assembly.js'
import { type Container, FunctionError, lambdaLookup, startContainer } from './support/lambda-runtime.js'
import { startSecretsManager } from './support/secrets-manager.js'

/**
 * The rehearsal of the deployment: the stack is synthesized as `npx cdk synth` does, and what
 * the template says AWS should run is run here — every state machine's definition as the
 * template holds it (substitutions filled with the template's ARNs), every Lambda ARN it
 * names served by that function's bundle from the cloud assembly, each in a container of its
 * own with the template's environment, pointed at this local stack's store and engine and at
 * a Secrets Manager endpoint holding the app secret. People complete their tasks through the
 * API. Each workflow goes through its main path to SUCCEEDED.
 */
const TABLE = 'ismsflow'
/** The value of CloudFront's origin header in the rehearsal's Secrets Manager. */
const ORIGIN_VERIFY = 'rehearsal-origin-verify-0123456789'
const DAY = 86_400_000

/** Hafenstadt's answers to the obligation questionnaire (a courier with a holding). */
const HAFENSTADT_ANSWERS = {
  sectors: ['postal'],
  actPostal: ['postal.courier'],
  hasNegligible: 'no',
  employees: 140,
  annualTurnover: 32_000_000,
  balanceSheet: 21_000_000,
  linkedExists: 'yes',
  linkedCount: 1,
  linked1Name: 'Hafenstadt Holding SE',
  linked1Employees: 2600,
  linked1Turnover: 480_000_000,
  linked1Balance: 350_000_000,
  partnerExists: 'no',
  itIndependent: 'yes',
  publicAdministration: 'no',
  personsProcessing: 12,
  otherPublicBody: 'no',
  monitoring: 'no',
  specialCategories: 'no',
  dpia: 'no',
  commercialTransfer: 'no',
  automotiveBusiness: 'no',
}

let assembly: Assembly
let t: Awaited<ReturnType<typeof startTestStack>>
let secrets: Awaited<ReturnType<typeof startSecretsManager>>
const containers = new Map<string, Container>()
const driven = new Set<string>()

/** Signed-in people per organisation: iso, management, member. */
const people: Record<string, Record<'iso' | 'management' | 'member', Client>> = {}
const signInAll = async () => {
  const [isoN, mgmtN, memberN, isoH, mgmtH, memberH] = await Promise.all([
    t.signIn('iso@demo.ismsflow.test', undefined, 'nordlicht'),
    t.signIn('management@demo.ismsflow.test'),
    t.signIn('member@demo.ismsflow.test'),
    t.signIn('iso@demo.ismsflow.test', undefined, 'hafenstadt'),
    t.signIn('hanne@hafenstadt.ismsflow.test'),
    t.signIn('member@hafenstadt.ismsflow.test'),
  ])
  people.nordlicht = { iso: isoN, management: mgmtN, member: memberN }
  people.hafenstadt = { iso: isoH, management: mgmtH, member: memberH }
}

beforeAll(async () => {
  assembly = synthesizeAssembly({ tableName: TABLE })
  // The definitions exactly as the template holds them, one file per state machine.
  const definitions = join(assembly.outdir, 'rehearsal-definitions')
  mkdirSync(definitions)
  for (const m of assembly.machines)
    writeFileSync(join(definitions, `${m.name.slice(RESOURCE_PREFIX.length + 1)}.asl.json`), m.definition)
  const secretArn = assembly.functions[0].environment.APP_SECRET_ARN
  const api = assembly.functions.find((f) => f.name === `${RESOURCE_PREFIX}-api`)!
  secrets = await startSecretsManager({
    [secretArn]: process.env.APP_SECRET!,
    [api.environment.ORIGIN_VERIFY_SECRET_ARN]: ORIGIN_VERIFY,
  })

  t = await startTestStack({
    seed: false,
    workflowsDir: definitions,
    engine: { lambdas: lambdaLookup(containers) },
  })
  for (const fn of assembly.functions)
    containers.set(
      fn.name,
      startContainer(fn, t.stack.credentials, {
        DYNAMODB_ENDPOINT: t.stack.dynamoEndpoint,
        SFN_ENDPOINT: t.stack.sfnEndpoint,
        AWS_ENDPOINT_URL_SECRETS_MANAGER: secrets.endpoint,
      }),
    )
  await seed(t.stack.deps)
  await t.stack.deps.identity.createUser({
    id: 'rehearsal-hafen-management',
    email: 'hanne@hafenstadt.ismsflow.test',
    name: 'Hanne Voss',
    passwordHash: await hashPassword(DEMO_PASSWORD),
  })
  await t.stack.deps.identity.addMembership({
    userId: 'rehearsal-hafen-management',
    orgId: 'hafenstadt',
    roles: ['management'],
  })
  await signInAll()
}, 600_000)

afterAll(async () => {
  await t?.close()
  for (const c of containers.values()) await c.close()
  await secrets?.close()
  if (assembly) rmSync(assembly.outdir, { recursive: true, force: true })
})

const realToday = () => toIsoDate(new Date())

/** What a person answers on each form on the main path. */
function answersFor(task: Task): Record<string, unknown> {
  const d = realToday()
  const at = new Date().toISOString()
  switch (task.formId) {
    case 'approval':
    case 'review-sign-off':
      return { decision: { outcome: 'approve', comment: 'Approved in the rehearsal.' } }
    case 'sample-onboarding':
      return {
        orgName: 'Nordlicht Maschinenbau GmbH',
        sector: 'other',
        employees: 12,
        contactName: 'Mia Keller',
        contactEmail: 'mia.keller@nordlicht.example',
        confirmation: { name: 'Mia Keller', at },
      }
    case 'risk-measure':
      return { summary: 'Done and checked.' }
    case 'awareness-acknowledgement':
      return { acknowledgement: { name: 'Mia Keller', at } }
    case 'awareness-escalation':
      return { followUp: 'reminded' }
    case 'incident-triage':
      return {
        severeDisruption: 'no',
        financialLoss: 'no',
        harmToOthers: 'no',
        malicious: 'no',
        crossBorder: 'no',
        significant: 'no',
        notSignificantReason: 'One laptop, no service affected (rehearsal).',
        personalDataBreach: 'no',
      }
    case 'incident-close':
      return { lessonsLearned: 'Reimaged the laptop; rehearsal.', newRisk: 'no' }
    case 'risk-verification':
      return {
        residualLikelihood: 2,
        residualImpact: 3,
        effectiveness: 'Phishing simulation: 2 % click rate.',
      }
    case 'obligation-questionnaire':
      return HAFENSTADT_ANSWERS
    case 'obligation-review':
      return {
        judgementsOpen: ['it-independence'],
        itIndependenceConfirmed: 'no',
        judgementNotes: 'Shared Active Directory with the holding.',
        outcome: 'confirm',
      }
    case 'obligation-acknowledgement':
      return { acknowledgement: { name: 'Hanne Voss', at } }
    case 'obligation-follow-up':
      return { outcome: 'done', note: 'Done in the rehearsal.' }
    case 'bsi-registration':
      return {
        ...task.prefill,
        legalForm: 'AG, HRB 4711 HH',
        address: 'Kaistraße 1, 20457 Hamburg',
        contacts: 'Leitstand (24/7): +49 40 555 0100',
        memberStates: 'Deutschland',
        submittedOn: d,
        channel: 'bsi-portal',
        reference: 'BSI-REG-REHEARSAL',
      }
    case 'review-risk-review':
      return {
        changesAssessed: 'yes',
        registerComplete: 'yes',
        treatmentStatus: 'on-track',
        withinAppetite: 'yes',
        outcome: 'effective',
        summary: 'Rehearsal review.',
        actions: 'Run a phishing awareness session',
        actionsAssignee: 'iso',
        actionsDueOn: addDays(toIsoDate(t.stack.clock.now()), 30),
      }
    case 'review-action':
      return { done: 'Session held.' }
    case 'certification-scope':
      return {
        issues: 'Supplier to automotive OEMs.',
        parties: 'OEM customers, staff.',
        scopeStatement: 'Design and manufacture at Lübeck.',
        doneOn: d,
      }
    case 'certification-soa':
      return { complete: 'yes', soaVersion: '1.0', doneOn: d }
    case 'certification-internal-audit':
      return {
        heldOn: d,
        auditorName: 'Peer auditor',
        auditScope: 'All clauses',
        majorCount: 0,
        minorCount: 0,
      }
    case 'certification-management-review':
      return {
        heldOn: d,
        attendees: 'Martin Brandt',
        inputs: ['performance', 'risks'],
        decisions: 'Proceed.',
      }
    case 'certification-evidence':
      return { state: 'complete' }
    case 'certification-stage1-result':
      return { heldOn: d, outcome: 'concerns', recorded: 'yes' }
    case 'certification-corrective-action':
      return {
        rootCause: 'Nobody owned the visitor log.',
        actionTaken: 'Reception keeps it; weekly check by facility management.',
        effectiveOn: d,
      }
    case 'certification-monitoring':
      return {
        indicators: 'Patch latency for critical patches: days, target ≤ 14',
        measuredOn: d,
        results: 'Patch latency 9 days.',
        evaluatedBy: 'Ines Sommer',
      }
    case 'certification-stage1-override':
      return {
        decision: 'override',
        reason: 'The slot is fixed.',
        acknowledgement: { name: 'Martin Brandt', at },
      }
    case 'certification-audit-result':
      return { heldOn: d, outcome: 'no-findings' }
    case 'certification-certificate':
      return { number: 'DE-27001-REH', body: 'Nordzert GmbH', issuedOn: d, validUntil: addDays(d, 1094) }
    default:
      if (task.formId.startsWith('certification-')) return { doneOn: d }
      throw new Error(`the rehearsal has no answers for form ${task.formId} (task ${task.kind})`)
  }
}

/** Who completes a task: its assignee, else someone of its role who is not excluded. */
function clientFor(orgId: string, task: Task): Client {
  const org = people[orgId]
  const all = Object.values(org)
  if (task.assigneeUserId) {
    const c = all.find((x) => x.userId === task.assigneeUserId)
    if (!c) throw new Error(`no signed-in assignee ${task.assigneeUserId} for ${task.kind}`)
    return c
  }
  const c = org[task.candidateRole as 'iso']
  if (!c || task.excludedUserIds?.includes(c.userId))
    throw new Error(`nobody to complete ${task.kind} as ${task.candidateRole}`)
  return c
}

const openTasksOf = async (orgId: string, executionArn: string): Promise<TaskRecord[]> =>
  (await t.stack.deps.taskStore.list(orgId)).filter(
    (x) => isOpen(x.data) && x.data.workflow?.executionArn === executionArn,
  )

const statusOf = async (executionArn: string) => (await t.stack.deps.workflows.describe(executionArn)).status

/** Id of the execution's latest history event (it grows while the execution moves). */
const lastEventId = async (executionArn: string) => {
  const h = await t.stack.engine.getExecutionHistory({ executionArn, reverseOrder: true, maxResults: 1 })
  return (h.events as { id: number }[])[0]?.id ?? 0
}

/** How long nothing moves before `idle` may move time on (the execution waits in a Wait). */
const QUIET_MS = 5_000
/**
 * How long nothing moves before the rehearsal calls an execution stuck. A jump of a year
 * fires every timer of the seeded demo at once and the engine persists each transition
 * before the next: on a loaded machine one execution may see no new event for several
 * seconds while the others are committed (main and this branch both stopped at the
 * obligation machine's StartNext with a 5 s limit at load 22–28).
 */
const STUCK_MS = 60_000

/**
 * Completes the execution's open tasks through the API until it closes. When nothing moves
 * for a while (no task open, no new history event), `idle` moves time on (a Wait); when it
 * has nothing to move and nothing moves for `STUCK_MS`, the rehearsal fails naming where the
 * execution stands.
 */
async function drive(orgId: string, executionArn: string, idle?: () => Promise<boolean>) {
  let quietSince = Date.now()
  let lastEvent = 0
  for (let completed = 0; completed < 200; ) {
    const status = await statusOf(executionArn)
    if (status !== 'RUNNING') return status
    const open = await openTasksOf(orgId, executionArn)
    for (const { data: task } of open) {
      const res = await clientFor(orgId, task).post(`/api/tasks/${task.id}/complete`, {
        answers: answersFor(task),
      })
      expect(res.status, `${task.kind} (${task.formId}): ${JSON.stringify(res.body)}`).toBe(200)
      completed++
    }
    const event = await lastEventId(executionArn)
    if (open.length > 0 || event !== lastEvent) {
      quietSince = Date.now()
      lastEvent = event
    } else if (Date.now() - quietSince > QUIET_MS) {
      if (idle && (await idle())) {
        await signInAll()
        quietSince = Date.now()
      } else if (Date.now() - quietSince > STUCK_MS) {
        const history = await t.stack.engine.getExecutionHistory({
          executionArn,
          reverseOrder: true,
          maxResults: 5,
        })
        throw new Error(`${executionArn} is stuck: ${JSON.stringify(history.events).slice(0, 1500)}`)
      }
    }
    await new Promise((r) => setTimeout(r, 200))
  }
  throw new Error(`${executionArn}: more than 200 tasks`)
}

/** Polls until `fn` finds something (30 s). */
async function until<T>(fn: () => Promise<T | undefined>): Promise<T> {
  for (const end = Date.now() + 30_000; Date.now() < end; ) {
    const v = await fn()
    if (v) return v
    await new Promise((r) => setTimeout(r, 200))
  }
  throw new Error('not found in time')
}

/** The port of a listening server's address. */
const portOf = (address: unknown) =>
  typeof address === 'object' && address !== null && 'port' in address ? Number(address.port) : 0

const machineOf = (executionArn: string) => executionArn.split(':')[6]
const finish = async (orgId: string, executionArn: string, idle?: () => Promise<boolean>) => {
  const status = await drive(orgId, executionArn, idle)
  if (status !== 'SUCCEEDED') {
    const d = await t.stack.deps.workflows.describe(executionArn)
    throw new Error(`${executionArn} ended ${status}: ${JSON.stringify(d).slice(0, 1500)}`)
  }
  driven.add(machineOf(executionArn))
}

describe('the synthesized assembly, run as AWS would run it', () => {
  it('ships one bundle per function, and each step bundle does its own job: an empty event is refused naming the step', async () => {
    const { functions } = assembly
    expect(functions.map((f) => f.name).sort()).toEqual(
      [`${RESOURCE_PREFIX}-api`, ...STEP_FUNCTIONS.map(functionName)].sort(),
    )
    expect(new Set(functions.map((f) => f.s3Key)).size).toBe(functions.length)
    expect(new Set(functions.map((f) => f.codeDir)).size).toBe(functions.length)
    for (const spec of STEP_FUNCTIONS) {
      const container = containers.get(functionName(spec))!
      const err = await container.invoke({}).then(
        (answer) => {
          throw new Error(`${spec.name} answered an empty event: ${JSON.stringify(answer).slice(0, 300)}`)
        },
        (e: unknown) => e,
      )
      expect(err, spec.name).toBeInstanceOf(FunctionError)
      expect({
        step: spec.name,
        name: (err as FunctionError).name,
        code: (err as FunctionError).code,
      }).toEqual({
        step: spec.name,
        name: 'Step.InvalidInput',
        code: 'validation_failed',
      })
      expect((err as Error).message.startsWith(`${spec.name}: invalid input (`), (err as Error).message).toBe(
        true,
      )
    }
  })

  it('registers every state machine of the template with its definition as written there', async () => {
    expect(assembly.machines.length).toBeGreaterThanOrEqual(6)
    const names = new Set(assembly.functions.map((f) => f.arn))
    for (const m of assembly.machines) {
      const described = await t.stack.engine.describeStateMachine({ stateMachineArn: m.arn })
      expect(described.definition).toBe(m.definition)
      expect(m.definition).not.toMatch(/\$\{/)
      // Every Lambda it names is a function of the assembly.
      for (const arn of m.definition.match(/arn:aws:lambda:[^"]+/g) ?? []) expect(names).toContain(arn)
    }
  })

  it('approval: management approves; SUCCEEDED', async () => {
    const started = await people.nordlicht.iso.post('/api/workflows/start', {
      type: 'approval',
      title: { en: 'Approve the rehearsal policy', de: 'Probe-Leitlinie freigeben' },
      dueDate: addDays(toIsoDate(t.stack.clock.now()), 7),
    })
    expect(started.status, JSON.stringify(started.body)).toBe(201)
    await finish('nordlicht', started.body.execution.executionArn)
  })

  it('questionnaire: the member answers; SUCCEEDED', async () => {
    const started = await people.nordlicht.iso.post('/api/workflows/start', {
      type: 'questionnaire',
      title: { en: 'Tell us about your organisation', de: 'Erzählen Sie uns von Ihrer Organisation' },
      formId: 'sample-onboarding',
      assignee: { userId: people.nordlicht.member.userId },
      dueDate: addDays(toIsoDate(t.stack.clock.now()), 7),
    })
    expect(started.status, JSON.stringify(started.body)).toBe(201)
    await finish('nordlicht', started.body.execution.executionArn)
  })

  it('risk treatment: submitted, approved, measures done, verified; SUCCEEDED', async () => {
    const iso = people.nordlicht.iso
    const created = await iso.post('/api/risks', {
      title: 'Phishing leads to mailbox takeover (rehearsal)',
      description: 'Attackers phish staff and take over mailboxes.',
      category: 'cyber',
      assets: ['Mail'],
      threat: 'Phishing',
      vulnerability: 'Password-only sign-in',
      ownerId: 'demo-management',
      likelihood: 4,
      impact: 3,
    })
    expect(created.status, JSON.stringify(created.body)).toBe(201)
    const id = created.body.risk.id as string
    const version = async () => (await iso.get(`/api/risks/${id}`)).body.risk.version
    const plan = await iso.call('PUT', `/api/risks/${id}/plan`, {
      expectedVersion: await version(),
      option: 'mitigate',
      targetLikelihood: 2,
      targetImpact: 3,
      justification: 'MFA stops reused passwords.',
      measures: [
        {
          id: 'mfa',
          description: 'MFA for Microsoft 365',
          ownerId: 'demo-member',
          dueDate: addDays(toIsoDate(t.stack.clock.now()), 60),
        },
      ],
    })
    expect(plan.status, JSON.stringify(plan.body)).toBe(200)
    const submitted = await iso.post(`/api/risks/${id}/submit`, { expectedVersion: await version() })
    expect(submitted.status, JSON.stringify(submitted.body)).toBe(202)
    await finish('nordlicht', submitted.body.executionArn)
    expect((await iso.get(`/api/risks/${id}`)).body.risk.status).toBe('treated')
  })

  it('periodic review: the schedule target bundle starts it; performed, signed off, action done; SUCCEEDED', async () => {
    const created = await people.hafenstadt.iso.post('/api/reviews/programme', { kind: 'risk-review' })
    expect(created.status, JSON.stringify(created.body)).toBe(201)
    // As EventBridge Scheduler invokes the target with the schedule's input.
    const started = (await containers.get(`${RESOURCE_PREFIX}-review-schedule-target`)!.invoke({
      orgId: 'hafenstadt',
      entryId: created.body.entry.id,
      scheduledTime: new Date(t.stack.clock.nowMs()).toISOString(),
    })) as { executionArn: string; started: boolean }
    expect(started.started).toBe(true)
    await finish('hafenstadt', started.executionArn)
  })

  it('obligation assessment: filled, evaluated, reviewed, acknowledged, recorded, follow-ups done, re-assessment started; SUCCEEDED', async () => {
    const started = await people.hafenstadt.iso.post('/api/assessments', {})
    expect(started.status, JSON.stringify(started.body)).toBe(202)
    const executionArn = started.body.executionArn as string
    let advanced = false
    await finish('hafenstadt', executionArn, async () => {
      // Follow-ups are done: the yearly re-assessment waits for its date.
      if (advanced) return false
      advanced = true
      await t.stack.clock.advance(366 * DAY)
      return true
    })
  })

  it('BSI registration: opened by Hafenstadt’s decision (important entity), submitted with its reference; SUCCEEDED', async () => {
    const task = await until(async () =>
      (await t.stack.deps.taskStore.list('hafenstadt')).find((r) => r.data.formId === 'bsi-registration'),
    )
    await finish('hafenstadt', task.data.workflow.executionArn)
    const reg = await people.hafenstadt.iso.get('/api/bsi-registration')
    expect(reg.body.registration).toMatchObject({ status: 'registered', category: 'important' })
  })

  it('certification: from project start through the audits to the end of the cycle; SUCCEEDED', async () => {
    const iso = people.nordlicht.iso
    const created = await iso.post('/api/certification/projects', {
      standard: 'iso27001',
      auditDate: addDays(toIsoDate(t.stack.clock.now()), 280),
      title: 'ISO 27001 rehearsal',
    })
    expect(created.status, JSON.stringify(created.body)).toBe(201)
    const projectId = created.body.project.id as string
    await finish('nordlicht', created.body.project.workflow.executionArn, async () => {
      // Waiting for the next surveillance audit: jump to six weeks before it.
      const plan = (await people.nordlicht.iso.get(`/api/certification/projects/${projectId}`)).body
      const next = plan.plan.milestones.find(
        (m: { id: string; due: string }) =>
          !plan.project.done?.[m.id] && Date.parse(`${m.due}T00:00:00Z`) > t.stack.clock.nowMs(),
      )
      if (!next) return false
      const waitUntil = Date.parse(`${addDays(next.due, -42)}T06:00:00.000Z`)
      await t.stack.clock.advance(Math.max(0, waitUntil - t.stack.clock.nowMs()) + 3_600_000)
      return true
    })
  })

  it('awareness campaign: one acknowledgement per person, signed; SUCCEEDED', async () => {
    const started = await people.nordlicht.iso.post('/api/awareness/campaigns', {
      kind: 'policy',
      title: { en: 'Rehearsal policy v1', de: 'Probe-Leitlinie v1' },
      audience: { type: 'people', userIds: [people.nordlicht.member.userId] },
      dueDate: addDays(toIsoDate(t.stack.clock.now()), 7),
    })
    expect(started.status, JSON.stringify(started.body)).toBe(201)
    const task = await until(async () =>
      (await t.stack.deps.taskStore.list('nordlicht')).find(
        (r) =>
          r.data.formId === 'awareness-acknowledgement' &&
          r.data.subject?.id === started.body.campaign.id &&
          r.data.assigneeUserId === people.nordlicht.member.userId,
      ),
    )
    await finish('nordlicht', task.data.workflow.executionArn)
  })

  it('incident: reported, triaged as not significant, closed; SUCCEEDED', async () => {
    const res = await people.nordlicht.iso.post('/api/incidents', {
      title: 'Rehearsal: malware on one laptop',
      awareAt: new Date(t.stack.clock.now().getTime() - 3_600_000).toISOString().replace('Z', '+00:00'),
    })
    expect(res.status, JSON.stringify(res.body)).toBe(201)
    const triage = await until(async () =>
      (await t.stack.deps.taskStore.list('nordlicht')).find(
        (r) => r.data.formId === 'incident-triage' && r.data.subject?.id === res.body.id,
      ),
    )
    await finish('nordlicht', triage.data.workflow.executionArn)
  })

  it('the API bundle answers through the Lambda adapter, only to requests that came through CloudFront', async () => {
    const api = containers.get(`${RESOURCE_PREFIX}-api`)!
    const request = (headers: Record<string, string>) => ({
      version: '2.0',
      routeKey: 'ANY /api/{proxy+}',
      rawPath: '/api/health',
      rawQueryString: '',
      headers: { host: 'd1rehearsal.cloudfront.net', ...headers },
      requestContext: {
        http: {
          method: 'GET',
          path: '/api/health',
          protocol: 'HTTP/1.1',
          sourceIp: '192.0.2.1',
          userAgent: 't',
        },
        requestId: 'r1',
        routeKey: 'ANY /api/{proxy+}',
        stage: '$default',
        domainName: 'd1rehearsal.cloudfront.net',
      },
      isBase64Encoded: false,
    })
    const direct = (await api.invoke(request({}))) as { statusCode: number; body: string }
    expect(direct.statusCode).toBe(403)
    expect(JSON.parse(direct.body).error.code).toBe('forbidden')
    const viaSite = (await api.invoke(request({ 'x-origin-verify': ORIGIN_VERIFY }))) as {
      statusCode: number
      body: string
    }
    expect({ status: viaSite.statusCode, body: JSON.parse(viaSite.body) }).toMatchObject({
      status: 200,
      body: { status: 'ok', store: { ok: true }, engine: { ok: true } },
    })
  })

  it("the re-index bundle answers the deployment's custom resource and its machine builds every organisation", async () => {
    const fn = assembly.functions.find((f) => f.name === `${RESOURCE_PREFIX}-reindex`)
    const container = fn && containers.get(fn.name)
    if (!fn || !container) throw new Error('the assembly has no reindex function')
    const [resource] = Object.values(assembly.template.Resources).filter(
      (r) => r.Type === 'Custom::IsmsflowReindex',
    )
    expect(resource, 'the stack runs the re-index on deploy').toBeDefined()
    expect(JSON.stringify(resource.Properties?.ServiceToken)).toContain(fn.logicalId)
    // CloudFormation's presigned response URL: a local server that keeps what it was told.
    const answers: { contentType?: string; body: { Status: string; Data: { executionArn: string } } }[] = []
    const server = createServer((req, res) => {
      let body = ''
      req.on('data', (c) => {
        body += c
      })
      req.on('end', () => {
        answers.push({ contentType: req.headers['content-type'], body: JSON.parse(body) })
        res.end()
      })
    })
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    const event = {
      RequestType: 'Create',
      ResponseURL: `http://127.0.0.1:${portOf(server.address())}/cloudformation`,
      StackId: 'arn:aws:cloudformation:eu-central-1:000000000000:stack/ismsflow/rehearsal',
      RequestId: 'rehearsal-reindex',
      LogicalResourceId: 'ReindexRun',
      ResourceType: 'Custom::IsmsflowReindex',
      ResourceProperties: resource.Properties,
    }
    await container.invoke(event)
    await new Promise<void>((r) => server.close(() => r()))
    expect(answers).toHaveLength(1)
    expect(answers[0].body.Status).toBe('SUCCESS')
    const executionArn = answers[0].body.Data.executionArn
    expect(machineOf(executionArn)).toBe(`${RESOURCE_PREFIX}-reindex`)
    await finish('nordlicht', executionArn)
    const output = JSON.parse((await t.stack.deps.workflows.describe(executionArn)).output ?? '{}')
    expect(output).toMatchObject({ done: true, cursor: null })
  })

  it('the reminder sweep bundle runs as its hourly schedule invokes it', async () => {
    const sweep = (await containers.get(`${RESOURCE_PREFIX}-task-reminders`)!.invoke({
      scheduledTime: new Date(t.stack.clock.nowMs()).toISOString(),
    })) as { orgs: number; due: number }
    expect(sweep.orgs).toBeGreaterThanOrEqual(2)
    expect(sweep.due).toBeGreaterThan(0)
  })

  it('ran every state machine of the template to SUCCEEDED, on the bundles, with the secret read by ARN', () => {
    expect([...driven].sort()).toEqual(assembly.machines.map((m) => m.name).sort())
    // Each function was invoked beyond the empty event: every bundle did its part.
    for (const c of containers.values()) expect(c.invocations, c.fn.name).toBeGreaterThan(1)
    const arn = assembly.functions[0].environment.APP_SECRET_ARN
    expect(secrets.asked).toContain(arn)
    expect(new Set(secrets.asked).size).toBe(2) // the app secret and CloudFront's header, by ARN
    for (const f of assembly.functions) {
      expect(f.environment.APP_SECRET).toBeUndefined()
      if (f.name.endsWith('-api') || f.name.endsWith('-task-reminders'))
        expect(f.environment.MAIL_FROM).toBe(MAIL_FROM)
    }
  })
})
