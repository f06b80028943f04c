/**
 * The start form's checks and request body, without the browser (unit-tested in
 * test/unit/web/task-logic.test.ts).
 */

/** The start form's inputs, as typed. `assignee` is `user:<id>` or `role:<role>`. */
export interface StartFields {
  type: '' | 'approval' | 'questionnaire'
  titleEn: string
  titleDe: string
  formId: string
  assignee: string
  dueDate: string
  reference: string
  details: string
}

/** One problem: the input it belongs to and the message key. */
export interface StartProblem {
  field: keyof StartFields
  key: string
}

const DAY = 86_400_000

/** Problems the browser can see before sending (`today` is yyyy-mm-dd). */
export function startProblems(f: StartFields, today: string): StartProblem[] {
  const out: StartProblem[] = []
  if (!f.type) out.push({ field: 'type', key: 'workflows.start.missing.type' })
  if (!f.titleEn.trim()) out.push({ field: 'titleEn', key: 'workflows.start.missing.titleEn' })
  if (f.type === 'questionnaire') {
    if (!f.formId) out.push({ field: 'formId', key: 'workflows.start.missing.formId' })
    if (!f.assignee) out.push({ field: 'assignee', key: 'workflows.start.missing.assignee' })
  }
  if (!/^\d{4}-\d{2}-\d{2}$/.test(f.dueDate))
    out.push({ field: 'dueDate', key: 'workflows.start.missing.dueDate' })
  else if (f.dueDate <= today) out.push({ field: 'dueDate', key: 'workflows.start.dueDatePast' })
  else if (Date.parse(f.dueDate) - Date.parse(today) > 365 * DAY)
    out.push({ field: 'dueDate', key: 'workflows.start.dueDateFar' })
  return out
}

/** The body of `POST /api/workflows/start` for checked inputs. */
export function startBody(f: StartFields): Record<string, unknown> {
  const body: Record<string, unknown> = {
    type: f.type,
    title: f.titleDe.trim() ? { en: f.titleEn.trim(), de: f.titleDe.trim() } : { en: f.titleEn.trim() },
    dueDate: f.dueDate,
  }
  if (f.type === 'questionnaire') {
    body.formId = f.formId
    const [kind, value] = [
      f.assignee.slice(0, f.assignee.indexOf(':')),
      f.assignee.slice(f.assignee.indexOf(':') + 1),
    ]
    body.assignee = kind === 'role' ? { role: value } : { userId: value }
  }
  if (f.reference.trim()) body.reference = f.reference.trim()
  if (f.details.trim()) body.details = f.details.trim()
  return body
}
