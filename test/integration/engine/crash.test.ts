import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  SendTaskSuccessCommand,
  type SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn'
import { afterAll, describe, expect, it } from 'vitest'
import { localCredentials } from '../../../infra/local/credentials.js'
import { childArgs } from '../../support/child-bundle.js'
import { ROLE, sfnClient, until } from './support.js'

/**
 * SIGKILL in the middle of executions, then a new process on the same data folder: an
 * execution in a Wait, a Map waiting on its iterations' tokens, a parked token and a busy
 * 500-round loop all finish, with contiguous histories and the loop's count exact.
 */

interface Child {
  proc: ChildProcess
  sfn: SFNClient
  lines: Record<string, unknown>[]
}

const dataDir = mkdtempSync(join(tmpdir(), 'ismsflow-crash-'))
localCredentials()
const children: ChildProcess[] = []
/** What the children wrote to stderr (shown when an assertion fails). */
const errors: string[] = []

/** Starts the engine process on the data folder, its clock `offsetMs` ahead of real time. */
async function spawnEngine(offsetMs = 0): Promise<Child> {
  const proc = spawn(
    process.execPath,
    [...(await childArgs('test/integration/engine/crash-child.ts')), dataDir, String(offsetMs)],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
      // The child signs and verifies with this process's key pair (`localCredentials()` set it in the environment).
      env: { ...process.env, NODE_NO_WARNINGS: '1' },
    },
  )
  children.push(proc)
  proc.stderr.on('data', (d) => {
    const text = String(d)
    if (!text.includes('NodeVersionSupportWarning') && !text.includes('a.co/') && text.trim())
      errors.push(text)
  })
  const lines: Record<string, unknown>[] = []
  createInterface({ input: proc.stdout }).on('line', (l) => {
    try {
      lines.push(JSON.parse(l))
    } catch {
      // not ours
    }
  })
  const ready = await until(() => lines.find((l) => l.endpoint), 30_000)
  return { proc, sfn: sfnClient(String(ready.endpoint)), lines }
}

const kill = (c: Child) =>
  new Promise<void>((r) => {
    c.proc.once('exit', () => r())
    c.proc.kill('SIGKILL')
  })

afterAll(() => {
  for (const c of children) c.kill('SIGKILL')
  rmSync(dataDir, { recursive: true, force: true })
})

const park = (key: string) => ({
  Type: 'Task',
  Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
  Parameters: { FunctionName: 'ismsflow-test-park', Payload: { 'key.$': key, 'token.$': '$$.Task.Token' } },
})

/** The Wait's length: long enough that it still waits when the first process is killed. */
const NAP_MS = 15_000
/** How long the Wait still has to go when the second process resumes it (its clock is ahead). */
const NAP_LEFT_MS = 2_000

const DEFINITIONS: Record<string, unknown> = {
  wait: {
    StartAt: 'Nap',
    States: {
      Nap: { Type: 'Wait', Seconds: NAP_MS / 1000, Next: 'Done' },
      Done: { Type: 'Pass', Result: 'woke', End: true },
    },
  },
  token: { StartAt: 'Ask', States: { Ask: { ...park('$.key'), End: true } } },
  map: {
    StartAt: 'Each',
    States: {
      Each: {
        Type: 'Map',
        MaxConcurrency: 1,
        ItemSelector: { 'key.$': "States.Format('map-{}', $$.Map.Item.Value)" },
        ItemProcessor: { StartAt: 'Ask', States: { Ask: { ...park('$.key'), End: true } } },
        End: true,
      },
    },
  },
  loop: {
    StartAt: 'Init',
    States: {
      Init: { Type: 'Pass', Result: { i: 0 }, Next: 'Check' },
      Check: {
        Type: 'Choice',
        Choices: [{ Variable: '$.i', NumericGreaterThanEquals: 500, Next: 'Done' }],
        Default: 'Inc',
      },
      Inc: { Type: 'Pass', Parameters: { 'i.$': 'States.MathAdd($.i, 1)' }, Next: 'Check' },
      Done: { Type: 'Succeed' },
    },
  },
}

const token = (c: Child, key: string) =>
  until(() => {
    const value = c.lines.find((l) => l.token === key)?.value
    return typeof value === 'string' ? value : undefined
  }, 20_000)

describe('crash', () => {
  it('finishes every execution after SIGKILL and a restart', { timeout: 180_000 }, async () => {
    const first = await spawnEngine()
    const arns: Record<string, string> = {}
    const machines: Record<string, string> = {}
    for (const [name, def] of Object.entries(DEFINITIONS)) {
      const created = await first.sfn.send(
        new CreateStateMachineCommand({
          name: `crash-${name}`,
          definition: JSON.stringify(def),
          roleArn: ROLE,
        }),
      )
      machines[name] = created.stateMachineArn!
    }
    // The Wait ends NAP_MS after this at the earliest.
    const napStarted = Date.now()
    for (const [name, stateMachineArn] of Object.entries(machines)) {
      const input = name === 'map' ? '[0,1,2]' : name === 'token' ? '{"key":"single"}' : '{}'
      arns[name] = (await first.sfn.send(new StartExecutionCommand({ stateMachineArn, name: 'run', input })))
        .executionArn!
    }
    const single = await token(first, 'single')
    await first.sfn.send(
      new SendTaskSuccessCommand({ taskToken: await token(first, 'map-0'), output: '{"n":0}' }),
    )
    const map1 = await token(first, 'map-1')
    // Kill while the loop is busy (some rounds done, not all).
    await until(async () => {
      const h = await first.sfn.send(
        new GetExecutionHistoryCommand({ executionArn: arns.loop, maxResults: 1000 }),
      )
      return h.events!.length >= 100
    })
    const before = await first.sfn.send(new DescribeExecutionCommand({ executionArn: arns.loop }))
    const napping = await first.sfn.send(new DescribeExecutionCommand({ executionArn: arns.wait }))
    await kill(first)
    expect(before.status).toBe('RUNNING')
    expect(napping.status).toBe('RUNNING')

    // The new process's clock is ahead of real time by what the Wait would otherwise sleep
    // through here: it resumes the Wait from the store with about NAP_LEFT_MS to go (or
    // already due, on a slow machine), and its own timer ends it.
    const second = await spawnEngine(Math.max(0, napStarted + NAP_MS - NAP_LEFT_MS - Date.now()))
    expect(second.lines.find((l) => l.endpoint)?.resumed, errors.join('\n')).toBe(4)
    await second.sfn.send(new SendTaskSuccessCommand({ taskToken: single, output: '{"approved":true}' }))
    await second.sfn.send(new SendTaskSuccessCommand({ taskToken: map1, output: '{"n":1}' }))
    await second.sfn.send(
      new SendTaskSuccessCommand({ taskToken: await token(second, 'map-2'), output: '{"n":2}' }),
    )

    const outputs: Record<string, string> = {}
    for (const [name, arn] of Object.entries(arns)) {
      const d = await until(async () => {
        const x = await second.sfn.send(new DescribeExecutionCommand({ executionArn: arn }))
        return x.status === 'RUNNING' ? undefined : x
      }, 120_000)
      expect(d.status, name).toBe('SUCCEEDED')
      outputs[name] = d.output!
      const ids: number[] = []
      let nextToken: string | undefined
      do {
        const h = await second.sfn.send(
          new GetExecutionHistoryCommand({ executionArn: arn, maxResults: 1000, nextToken }),
        )
        ids.push(...h.events!.map((e) => e.id!))
        nextToken = h.nextToken
      } while (nextToken)
      expect(ids, name).toEqual(ids.map((_, i) => i + 1))
    }
    expect(outputs.wait).toBe('"woke"')
    expect(outputs.token).toBe('{"approved":true}')
    expect(JSON.parse(outputs.map)).toEqual([{ n: 0 }, { n: 1 }, { n: 2 }])
    expect(JSON.parse(outputs.loop)).toEqual({ i: 500 })
    await kill(second)
  })
})
