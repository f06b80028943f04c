import { messageOf } from '../../functions/domain/errors.js'
import type { StepFunctionSpec } from '../../functions/steps/registry.js'

/** DynamoDB service integrations a definition may use, as IAM action names. */
export type DynamoAction = 'GetItem' | 'PutItem' | 'UpdateItem' | 'DeleteItem' | 'Query'

/** What one state machine definition needs from IAM, read from its text before substitution. */
export interface DefinitionNeeds {
  /** Every `${Key}` the definition uses, sorted. */
  substitutionKeys: string[]
  /** Registry steps it invokes (through `${<key>Arn}` or `${<key>Name}`). */
  steps: StepFunctionSpec[]
  dynamodb: DynamoAction[]
  /** `states:startExecution` (any variant); `sync` when `.sync` or `.sync:2` waits for the child. */
  startExecution?: { sync: boolean }
  putEvents: boolean
  snsPublish: boolean
}

const INTEGRATION = /^arn:aws[a-z-]*:states:::([a-z]+):([A-Za-z]+)(\.sync(?::2)?|\.waitForTaskToken)?$/
const DYNAMO: Record<string, DynamoAction> = {
  getItem: 'GetItem',
  putItem: 'PutItem',
  updateItem: 'UpdateItem',
  deleteItem: 'DeleteItem',
  query: 'Query',
}
const SUBSTITUTION = /\$\{([A-Za-z0-9_]+)\}/g

/** The `${Key}` names in a text. */
export const substitutionKeysOf = (text: string): string[] =>
  [...new Set([...text.matchAll(SUBSTITUTION)].map((m) => m[1]))].sort()

/** Registry steps whose `${<key>Arn}` or `${<key>Name}` appears in a text. */
function stepsIn(text: string, steps: StepFunctionSpec[]): StepFunctionSpec[] {
  const keys = new Set(substitutionKeysOf(text))
  return steps.filter((s) => keys.has(`${s.key}Arn`) || keys.has(`${s.key}Name`))
}

type StateMap = Record<string, Record<string, unknown>>

/** Calls `visit` for every state, including those inside Parallel branches and Map processors. */
export function walkStates(states: StateMap, visit: (name: string, state: Record<string, unknown>) => void) {
  for (const [name, state] of Object.entries(states ?? {})) {
    visit(name, state)
    for (const branch of (state.Branches as { States: StateMap }[] | undefined) ?? [])
      walkStates(branch.States, visit)
    const processor = (state.ItemProcessor ?? state.Iterator) as { States: StateMap } | undefined
    if (processor) walkStates(processor.States, visit)
  }
}

/**
 * Reads what a definition (the raw `*.asl.json` text, `${…}` placeholders still in it)
 * needs from IAM. Throws, naming the file and state, when a Task uses a resource the CDK
 * app cannot grant narrowly: an unknown integration, or a Lambda that is not a registry step.
 */
export function definitionNeeds(file: string, text: string, steps: StepFunctionSpec[]): DefinitionNeeds {
  let definition: { States?: StateMap }
  try {
    definition = JSON.parse(text)
  } catch (err) {
    throw new Error(`workflow ${file}: not JSON (${messageOf(err)})`)
  }
  if (!definition.States || typeof definition.States !== 'object')
    throw new Error(`workflow ${file}: no States`)
  const needs: DefinitionNeeds = {
    substitutionKeys: substitutionKeysOf(text),
    steps: [],
    dynamodb: [],
    putEvents: false,
    snsPublish: false,
  }
  const invoked = new Set<StepFunctionSpec>()
  const dynamo = new Set<DynamoAction>()
  walkStates(definition.States, (name, state) => {
    if (state.Type !== 'Task') return
    const resource = state.Resource
    const where = `workflow ${file}: state "${name}"`
    if (typeof resource !== 'string') throw new Error(`${where} has no Resource`)
    const named = stepsIn(JSON.stringify(state), steps)
    const plainLambda = /^\$\{[A-Za-z0-9_]+Arn\}$/.test(resource)
    const m = INTEGRATION.exec(resource)
    if (plainLambda || (m && m[1] === 'lambda' && m[2] === 'invoke' && !m[3]?.startsWith('.sync'))) {
      const target = plainLambda ? stepsIn(resource, steps) : named
      if (target.length === 0)
        throw new Error(
          `${where} invokes a Lambda that is not a registry step (use \${<Key>Arn} from STEP_FUNCTIONS)`,
        )
      for (const s of target) invoked.add(s)
      return
    }
    if (m && m[1] === 'dynamodb' && DYNAMO[m[2]] && !m[3]) {
      dynamo.add(DYNAMO[m[2]])
      return
    }
    if (m && m[1] === 'states' && m[2] === 'startExecution') {
      const sync = m[3]?.startsWith('.sync') ?? false
      needs.startExecution = { sync: sync || (needs.startExecution?.sync ?? false) }
      return
    }
    if (m && m[1] === 'events' && m[2] === 'putEvents' && !m[3]?.startsWith('.sync')) {
      needs.putEvents = true
      return
    }
    if (m && m[1] === 'sns' && m[2] === 'publish' && !m[3]?.startsWith('.sync')) {
      needs.snsPublish = true
      return
    }
    throw new Error(
      `${where} uses resource ${resource}, which the CDK app cannot grant (supported: lambda:invoke, ` +
        'dynamodb:getItem|putItem|updateItem|deleteItem|query, states:startExecution, events:putEvents, sns:publish)',
    )
  })
  needs.steps = steps.filter((s) => invoked.has(s))
  needs.dynamodb = [...dynamo].sort()
  return needs
}

/** Transient Lambda errors every Lambda task retries (the errors AWS recommends retrying). */
export const TRANSIENT_LAMBDA_ERRORS = [
  'Lambda.ServiceException',
  'Lambda.AWSLambdaException',
  'Lambda.SdkClientException',
  'Lambda.TooManyRequestsException',
] as const

/** The retrier every Lambda task carries first: backoff with full jitter. */
export const LAMBDA_RETRY = {
  ErrorEquals: [...TRANSIENT_LAMBDA_ERRORS],
  IntervalSeconds: 2,
  MaxAttempts: 4,
  BackoffRate: 2,
  JitterStrategy: 'FULL',
} as const

const PLAIN_LAMBDA = /^(\$\{[A-Za-z0-9_]+Arn\}|arn:aws[a-z-]*:lambda:.*)$/
const LAMBDA_INTEGRATION = /^arn:aws[a-z-]*:states:::lambda:invoke(\.waitForTaskToken)?$/

/** Whether a Task state invokes Lambda (plain ARN, `${…Arn}` or the `lambda:invoke` integration). */
export const invokesLambda = (state: Record<string, unknown>) =>
  state.Type === 'Task' &&
  typeof state.Resource === 'string' &&
  (PLAIN_LAMBDA.test(state.Resource) || LAMBDA_INTEGRATION.test(state.Resource))

const catches = (names: unknown, error: string) =>
  Array.isArray(names) &&
  (names.includes(error) || names.includes('States.ALL') || names.includes('States.TaskFailed'))

/**
 * Lambda tasks of a parsed definition (Parallel branches and Map processors included) whose
 * transient Lambda errors are not retried by the policy: for each of the errors, the first
 * retrier that matches it must list all of them, wait 1–2 s, back off by 2, try 3–6 times
 * and use full jitter. Answers `state: what is wrong`, empty when all is well.
 */
export function lambdaRetryProblems(definition: { States?: StateMap }): string[] {
  const problems: string[] = []
  walkStates(definition.States ?? {}, (name, state) => {
    if (!invokesLambda(state)) return
    const retriers = (Array.isArray(state.Retry) ? state.Retry : []) as Record<string, unknown>[]
    for (const error of TRANSIENT_LAMBDA_ERRORS) {
      const r = retriers.find((x) => catches(x.ErrorEquals, error))
      const wrong = !r
        ? 'is not retried'
        : !TRANSIENT_LAMBDA_ERRORS.every((e) => (r.ErrorEquals as string[]).includes(e))
          ? 'is first matched by a retrier that does not list every transient Lambda error'
          : !(typeof r.IntervalSeconds === 'number' && r.IntervalSeconds >= 1 && r.IntervalSeconds <= 2)
            ? 'is retried with IntervalSeconds outside 1–2'
            : r.BackoffRate !== 2
              ? 'is retried without BackoffRate 2'
              : !(typeof r.MaxAttempts === 'number' && r.MaxAttempts >= 3 && r.MaxAttempts <= 6)
                ? 'is retried with MaxAttempts outside 3–6'
                : r.JitterStrategy !== 'FULL'
                  ? 'is retried without JitterStrategy FULL'
                  : undefined
      if (wrong) {
        problems.push(`state "${name}": ${error} ${wrong}`)
        return
      }
    }
  })
  return problems
}
