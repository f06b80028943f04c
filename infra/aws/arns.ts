import { ArnFormat, type Stack } from 'aws-cdk-lib'
import { RESOURCE_PREFIX } from '../../functions/steps/registry.js'

/** ARNs and ARN patterns of ismsflow's state machines in a stack's account and region. */
export interface MachineArns {
  /** `arn:<partition>:states:<region>:<account>:stateMachine:ismsflow-`: append a workflow's basename. */
  prefix: string
  /** Every ismsflow state machine: `…:stateMachine:ismsflow-*`. */
  machines: string
  /** Every execution of an ismsflow state machine: `…:execution:ismsflow-*:*`. */
  executions: string
  /** One machine by workflow basename: `…:stateMachine:ismsflow-<basename>`. */
  machine(basename: string): string
}

/** Builds the state machine ARNs from the stack's pseudo parameters (works env-agnostic). */
export function machineArns(stack: Stack): MachineArns {
  const arn = (resource: string, resourceName: string) =>
    stack.formatArn({ service: 'states', resource, resourceName, arnFormat: ArnFormat.COLON_RESOURCE_NAME })
  return {
    prefix: arn('stateMachine', `${RESOURCE_PREFIX}-`),
    machines: arn('stateMachine', `${RESOURCE_PREFIX}-*`),
    executions: arn('execution', `${RESOURCE_PREFIX}-*:*`),
    machine: (basename) => arn('stateMachine', `${RESOURCE_PREFIX}-${basename}`),
  }
}
