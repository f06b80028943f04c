/**
 * Which reminders are due for open tasks: some days before the due date, the day before,
 * on the day, and once overdue. Escalation is not decided here: it is a `TimeoutSeconds` → `Catch` in the
 * workflow definition. A sweep calls this and writes each reminder once (dedup key).
 */
import { isOpen, type Localized, type Task } from './tasks.js'

export interface DueReminder {
  taskId: string
  kind: 'reminder' | 'due-today' | 'overdue'
  dedupKey: string
  subject: Localized
  body: Localized
  to: { userId?: string; role?: string }
}

const DAY = 86_400_000

/** Reminders to send now for the given tasks (`daysBefore` defaults to 3). */
export function dueReminders(tasks: Task[], now: Date, daysBefore = 3): DueReminder[] {
  const out: DueReminder[] = []
  const today = now.toISOString().slice(0, 10)
  const tomorrow = new Date(now.getTime() + DAY).toISOString().slice(0, 10)
  for (const t of tasks) {
    if (!isOpen(t) || !t.dueAt) continue
    const due = Date.parse(t.dueAt)
    const dueDay = t.dueAt.slice(0, 10)
    const to =
      t.claimedBy || t.assigneeUserId
        ? { userId: t.claimedBy ?? t.assigneeUserId }
        : { role: t.candidateRole }
    const base = { taskId: t.id, to }
    if (due < now.getTime() && dueDay !== today) {
      out.push({
        ...base,
        kind: 'overdue',
        dedupKey: `${t.orgId}:${t.id}:overdue`,
        subject: { en: `Overdue: ${t.title.en}`, de: `Überfällig: ${t.title.de}` },
        body: { en: `This task was due on ${dueDay}.`, de: `Diese Aufgabe war am ${dueDay} fällig.` },
      })
    } else if (dueDay === today) {
      out.push({
        ...base,
        kind: 'due-today',
        dedupKey: `${t.orgId}:${t.id}:due-today`,
        subject: { en: `Due today: ${t.title.en}`, de: `Heute fällig: ${t.title.de}` },
        body: { en: 'This task is due today.', de: 'Diese Aufgabe ist heute fällig.' },
      })
    } else if (dueDay === tomorrow) {
      out.push({
        ...base,
        kind: 'reminder',
        dedupKey: `${t.orgId}:${t.id}:due-tomorrow`,
        subject: { en: `Due tomorrow: ${t.title.en}`, de: `Morgen fällig: ${t.title.de}` },
        body: { en: 'This task is due tomorrow.', de: 'Diese Aufgabe ist morgen fällig.' },
      })
    } else if (due - now.getTime() <= daysBefore * DAY) {
      out.push({
        ...base,
        kind: 'reminder',
        dedupKey: `${t.orgId}:${t.id}:before-${daysBefore}`,
        subject: { en: `Reminder: ${t.title.en}`, de: `Erinnerung: ${t.title.de}` },
        body: { en: `This task is due on ${dueDay}.`, de: `Diese Aufgabe ist am ${dueDay} fällig.` },
      })
    }
  }
  return out
}
