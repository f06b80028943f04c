import {
  DescribeExecutionCommand,
  DescribeStateMachineCommand,
  ExecutionAlreadyExists,
  ExecutionDoesNotExist,
  GetExecutionHistoryCommand,
  type HistoryEvent,
  InvalidArn,
  InvalidToken,
  ListStateMachinesCommand,
  SendTaskFailureCommand,
  SendTaskHeartbeatCommand,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
  StateMachineDoesNotExist,
  StopExecutionCommand,
  TaskDoesNotExist,
  TaskTimedOut,
} from '@aws-sdk/client-sfn'
import type { Config } from './config.js'

/** One Step Functions client per process, pointed at the configured endpoint (the local engine locally). */
export function createSfnClient(cfg: Pick<Config, 'region' | 'sfnEndpoint'>): SFNClient {
  return new SFNClient({
    region: cfg.region,
    endpoint: cfg.sfnEndpoint,
    // StartSyncExecution's host prefix (sync-) does not resolve for a local endpoint.
    ...(cfg.sfnEndpoint !== undefined ? { disableHostPrefix: true } : {}),
  })
}

/**
 * The application's only way to the workflow engine: `@aws-sdk/client-sfn` against the
 * configured endpoint (the local engine, or AWS Step Functions). The API and the steps use
 * it alike (a port in their deps).
 */
export function createWorkflowClient(sfn: SFNClient, cfg: Pick<Config, 'stateMachineArnPrefix'>) {
  const machineArn = (name: string) => `${cfg.stateMachineArnPrefix}${name}`
  return {
    machineArn,
    /** Whether the engine answers (one ListStateMachines): the health check's probe. */
    async ping() {
      await sfn.send(new ListStateMachinesCommand({ maxResults: 1 }))
    },
    /** Starts `ismsflow-<name>`; with `executionName` a repeat with the same input returns the same execution. */
    async start(name: string, input: unknown, executionName?: string) {
      const out = await sfn.send(
        new StartExecutionCommand({
          stateMachineArn: machineArn(name),
          input: JSON.stringify(input),
          name: executionName,
        }),
      )
      if (out.executionArn === undefined)
        throw new Error(`StartExecution of ${name} answered no executionArn`)
      return { executionArn: out.executionArn, startDate: out.startDate }
    },
    async stop(executionArn: string, cause?: string) {
      await sfn.send(new StopExecutionCommand({ executionArn, cause }))
    },
    async succeed(taskToken: string, output: unknown) {
      await sfn.send(new SendTaskSuccessCommand({ taskToken, output: JSON.stringify(output) }))
    },
    async fail(taskToken: string, error: string, cause: string) {
      await sfn.send(new SendTaskFailureCommand({ taskToken, error, cause }))
    },
    /** A heartbeat: harmless on a waiting token; refused (`isClosedToken`) on a closed one. */
    async heartbeat(taskToken: string) {
      await sfn.send(new SendTaskHeartbeatCommand({ taskToken }))
    },
    async describe(executionArn: string) {
      return sfn.send(new DescribeExecutionCommand({ executionArn }))
    },
    async definition(stateMachineArn: string) {
      const out = await sfn.send(new DescribeStateMachineCommand({ stateMachineArn }))
      return JSON.parse(out.definition ?? '{}') as { StartAt?: string; States?: Record<string, unknown> }
    },
    /** The whole history, oldest first. */
    async history(executionArn: string): Promise<HistoryEvent[]> {
      const events: HistoryEvent[] = []
      let nextToken: string | undefined
      do {
        const page = await sfn.send(
          new GetExecutionHistoryCommand({ executionArn, nextToken, maxResults: 1000 }),
        )
        events.push(...(page.events ?? []))
        nextToken = page.nextToken
      } while (nextToken)
      return events
    },
  }
}

export type WorkflowClient = ReturnType<typeof createWorkflowClient>

/** Whether the engine refused a token because it can no longer be used (timed out, closed, unknown). */
export const isClosedToken = (err: unknown): err is TaskTimedOut | TaskDoesNotExist | InvalidToken =>
  err instanceof TaskTimedOut || err instanceof TaskDoesNotExist || err instanceof InvalidToken

/**
 * Whether a start was refused because an execution of that name ran already with another
 * input, or has closed (a repeat with the same input of a running one answers it instead).
 */
export const isAlreadyStarted = (err: unknown): err is ExecutionAlreadyExists =>
  err instanceof ExecutionAlreadyExists

/** Whether the engine does not know the execution. */
export const isMissingExecution = (err: unknown): err is ExecutionDoesNotExist =>
  err instanceof ExecutionDoesNotExist

/** Whether the engine does not know the execution (or its state machine, or the ARN's shape). */
export const isUnknownExecution = (err: unknown): boolean =>
  err instanceof ExecutionDoesNotExist || err instanceof StateMachineDoesNotExist || err instanceof InvalidArn
