/** Workflow words in the current language: execution statuses, workflow names, state types and statuses. */
import { t } from '../../lib/i18n/index.js'
import { hasMessage } from '../tasks/labels.js'
import { humanize } from '../tasks/task-logic.js'

const known = (key: string, fallback: string) => (hasMessage(key) ? t(key) : fallback)

/** An execution status (`RUNNING` → “Running”). */
export const statusWord = (status: string) => known(`workflows.status.${status}`, humanize(status))

/** A workflow's name (`approval` or `ismsflow-approval` → “Approval”). */
export function workflowWord(name: string): string {
  const short = name.replace(/^ismsflow-/, '')
  return known(`workflows.workflow.${short}`, humanize(short))
}

/** A state type (`Choice` → “Decision point”). */
export const stateTypeWord = (type: string) => known(`workflows.type.${type}`, type)

/** A state's status on the graph (`current` → “Current step”). */
export const nodeStatusWord = (status: string) => known(`workflows.node.${status}`, status)
