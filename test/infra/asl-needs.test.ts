// biome-ignore-all lint/suspicious/noTemplateCurlyInString: workflow definitions hold literal ${Key} substitutions
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { StepFunctionSpec } from '../../functions/steps/registry.js'
import { definitionNeeds } from '../../infra/aws/asl-needs.js'
import { readWorkflowFiles } from '../../infra/aws/workflows.js'
import { synth } from './support.js'

const step = (key: string): StepFunctionSpec => ({
  key,
  name: key.toLowerCase(),
  entry: 'x.ts',
  description: key,
  tableAccess: 'none',
})
const STEPS = [step('A'), step('B')]
const task = (Resource: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ StartAt: 'T', States: { T: { Type: 'Task', Resource, End: true, ...extra } } })

describe('definitionNeeds', () => {
  it('finds step Lambdas by plain ARN and by lambda:invoke FunctionName', () => {
    expect(definitionNeeds('f', task('${AArn}'), STEPS).steps.map((s) => s.key)).toEqual(['A'])
    const invoke = task('arn:aws:states:::lambda:invoke.waitForTaskToken', {
      Parameters: { FunctionName: '${BName}' },
    })
    expect(definitionNeeds('f', invoke, STEPS).steps.map((s) => s.key)).toEqual(['B'])
  })

  it('walks Parallel branches and Map processors (legacy Iterator too)', () => {
    const def = {
      StartAt: 'P',
      States: {
        P: {
          Type: 'Parallel',
          End: true,
          Branches: [
            {
              StartAt: 'M',
              States: {
                M: {
                  Type: 'Map',
                  End: true,
                  Iterator: {
                    StartAt: 'G',
                    States: { G: { Type: 'Task', Resource: 'arn:aws:states:::dynamodb:getItem', End: true } },
                  },
                },
              },
            },
            {
              StartAt: 'E',
              States: {
                E: {
                  Type: 'Task',
                  Resource: 'arn:aws:states:::events:putEvents.waitForTaskToken',
                  End: true,
                },
              },
            },
          ],
        },
      },
    }
    const needs = definitionNeeds('f', JSON.stringify(def), STEPS)
    expect(needs.dynamodb).toEqual(['GetItem'])
    expect(needs.putEvents).toBe(true)
    expect(needs.snsPublish).toBe(false)
    expect(needs.startExecution).toBeUndefined()
  })

  it('marks .sync:2 child executions', () => {
    expect(
      definitionNeeds('f', task('arn:aws:states:::states:startExecution.sync:2'), STEPS).startExecution,
    ).toEqual({ sync: true })
    expect(
      definitionNeeds('f', task('arn:aws:states:::states:startExecution'), STEPS).startExecution,
    ).toEqual({ sync: false })
  })

  it('refuses a Lambda that is not a registry step, naming file and state', () => {
    const hardcoded = task('arn:aws:states:::lambda:invoke', {
      Parameters: { FunctionName: 'arn:aws:lambda:eu-central-1:1:function:x' },
    })
    expect(() => definitionNeeds('x.asl.json', hardcoded, STEPS)).toThrow(
      /workflow x\.asl\.json: state "T" invokes a Lambda that is not a registry step/,
    )
    expect(() => definitionNeeds('x.asl.json', task('${CArn}'), STEPS)).toThrow(/state "T"/)
  })

  it('refuses integrations it cannot grant narrowly', () => {
    expect(() => definitionNeeds('x.asl.json', task('arn:aws:states:::dynamodb:scan'), STEPS)).toThrow(
      /uses resource arn:aws:states:::dynamodb:scan/,
    )
    expect(() => definitionNeeds('x.asl.json', task('arn:aws:states:::aws-sdk:s3:getObject'), STEPS)).toThrow(
      /cannot grant/,
    )
  })

  it('refuses text that is not JSON or has no States', () => {
    expect(() => definitionNeeds('x.asl.json', '{"StartAt": ', STEPS)).toThrow(
      /workflow x\.asl\.json: not JSON/,
    )
    expect(() => definitionNeeds('x.asl.json', '{}', STEPS)).toThrow(/no States/)
  })
})

describe('workflow files', () => {
  const dir = () => mkdtempSync(join(tmpdir(), 'ismsflow-wf-'))

  it('reads only *.asl.json, sorted; a missing folder has none', () => {
    const d = dir()
    writeFileSync(join(d, 'b.asl.json'), '{}')
    writeFileSync(join(d, 'a.asl.json'), '{}')
    writeFileSync(join(d, 'c.json'), '{}')
    expect(readWorkflowFiles(d).map((f) => f.basename)).toEqual(['a', 'b'])
    expect(readWorkflowFiles(join(d, 'missing'))).toEqual([])
  })

  it('refuses a name a state machine cannot have', () => {
    const d = dir()
    writeFileSync(join(d, 'bad name.asl.json'), '{}')
    expect(() => readWorkflowFiles(d)).toThrow(/bad name\.asl\.json: name must be/)
  })

  it('fails the synth on an unknown substitution, naming file and key', () => {
    const d = dir()
    writeFileSync(
      join(d, 'typo.asl.json'),
      task('arn:aws:states:::dynamodb:getItem', { Parameters: { TableName: '${TabelName}' } }),
    )
    expect(() =>
      synth(
        { workflowsDir: d, steps: [], webDistDir: d },
        { context: { 'aws:cdk:bundling-stacks': [] }, validate: false },
      ),
    ).toThrow(/workflow typo\.asl\.json: unknown substitution \$\{TabelName\}/)
  })
})
