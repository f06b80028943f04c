import type { closeTaskRulePattern } from '../../functions/steps/close-task.js'
import type { Engine, ExecutionStatusChangeEvent } from './engine/engine.js'

/** An EventBridge rule as the CDK app writes it: an event pattern and a Lambda target. */
export interface LocalRule {
  name: string
  pattern: ReturnType<typeof closeTaskRulePattern>
  /** The target Lambda's handler (the same module the CDK app deploys). */
  target: (event: ExecutionStatusChangeEvent) => Promise<unknown>
}

/** Whether an event matches the pattern (the parts of EventBridge's matching the rules use). */
export function matches(pattern: LocalRule['pattern'], e: ExecutionStatusChangeEvent): boolean {
  return (
    pattern.source.includes(e.source) &&
    pattern.detailType.includes(e['detail-type']) &&
    pattern.detail.status.includes(e.detail.status as (typeof pattern.detail.status)[number]) &&
    pattern.detail.stateMachineArn.some((p) => e.detail.stateMachineArn.startsWith(p.prefix))
  )
}

/**
 * Delivers the engine's "Step Functions Execution Status Change" events to the rules' targets,
 * as EventBridge does on AWS (asynchronously; a failed target is logged, as a failed
 * asynchronous invoke lands in the logs there). Returns the unsubscribe function.
 */
export function routeStatusChanges(engine: Engine, rules: LocalRule[]): () => void {
  const listener = (e: ExecutionStatusChangeEvent) => {
    for (const rule of rules)
      if (matches(rule.pattern, e))
        rule.target(e).catch((err) => console.error(`EventBridge rule ${rule.name}: target failed`, err))
  }
  engine.events.on('statusChange', listener)
  return () => engine.events.off('statusChange', listener)
}
