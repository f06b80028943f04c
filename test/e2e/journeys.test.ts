/**
 * The journeys the README's demo promises, walked in Chromium as a person would: the ISO's
 * yearly re-assessment from "Claim" to management's signature, every workflow type's page,
 * the calendar and its feed, the certification project's smaller promises, and anonymous
 * pages. Every step fails on a page error, a console error or an axe violation.
 */
import type { Page, Response } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { dueDateOf } from '../../functions/domain/calendar/due.js'
import { naturalCompare } from '../../functions/domain/natural-compare.js'
import { addDays } from '../../functions/domain/risk/calendar.js'
import { type E2E, signIn, startE2E } from './support/harness.js'
import { clean, signedInAs, type Visitor } from './support/visitors.js'

/** Sending a task's answers waits for the engine; on a busy machine that takes a while. */
const SLOW = { timeout: 90_000 }

/**
 * Opens a task from the inbox by its title, as a person would: in the first view, else under
 * "My roles – unclaimed". Workflows open tasks a moment after the step before, so the inbox is
 * looked at again until the task is there.
 */
async function openFromInbox(page: Page, title: RegExp) {
  const link = page.getByRole('main').getByRole('link', { name: title }).first()
  for (let attempt = 0; attempt < 30; attempt++) {
    await page.goto('/')
    await page.getByRole('heading', { level: 1, name: 'Inbox' }).waitFor()
    await page
      .getByRole('table')
      .or(page.getByText(/Nothing is waiting|No tasks/))
      .first()
      .waitFor()
    if (await link.isVisible()) break
    const unclaimed = page
      .getByRole('navigation', { name: 'Task views' })
      .getByRole('link', { name: /unclaimed/ })
    if (await unclaimed.isVisible()) {
      await unclaimed.click()
      await page
        .getByRole('table')
        .or(page.getByText(/Nothing is waiting|No tasks/))
        .first()
        .waitFor()
      if (await link.isVisible()) break
    }
    await page.waitForTimeout(1000)
  }
  await link.click()
  await page.waitForURL(/\/tasks\//)
}

/**
 * Sends the answers from "Check your answers" and waits for "Task completed" (the engine takes
 * its time on a busy machine); if it does not come, the failure says what the page shows.
 */
async function send(v: Visitor) {
  const answers: string[] = []
  const log = (r: Response) => {
    if (r.url().endsWith('/complete')) answers.push(`${r.status()} after ${Date.now() - started} ms`)
  }
  const started = Date.now()
  v.page.on('response', log)
  await v.page.getByRole('button', { name: 'Submit answers' }).click()
  try {
    await v.page.getByRole('heading', { level: 1, name: 'Task completed' }).waitFor(SLOW)
  } catch (err) {
    const main =
      (await v.page
        .getByRole('main')
        .textContent()
        .catch(() => '')) ?? ''
    throw new Error(
      `No "Task completed" after sending: complete answered ${answers.join(', ') || 'nothing'}; page errors ${JSON.stringify(v.errors)}; the page shows: ${main.slice(0, 800)}`,
      { cause: err },
    )
  } finally {
    v.page.off('response', log)
  }
}

/** Claims the open role task shown on the task page. */
async function claim(page: Page) {
  await page.getByRole('button', { name: 'Claim this task' }).click()
  await page.getByTestId('task-announcer').filter({ hasText: 'You claimed this task' }).waitFor()
}

describe('the README demo journeys in the browser', () => {
  let e2e: E2E
  beforeAll(async () => {
    e2e = await startE2E()
  }, 120_000)
  afterAll(async () => e2e?.close())

  it('the ISO claims the yearly re-assessment, submits it and reviews it; management reads the ISO’s note and signs with their own name', async () => {
    const iso = await signedInAs(e2e, 'iso')

    // The re-assessment waits for the ISO role; claiming it shows the questionnaire, pre-filled.
    await openFromInbox(iso.page, /Yearly re-assessment: which obligations apply to us/)
    await clean(iso, 'the unclaimed re-assessment')
    await claim(iso.page)
    // Every page is answered from last year's decision: "Check your answers" with the activities
    // named from their catalogue (the form area was blank when the catalogues were not passed).
    await iso.page.getByRole('heading', { level: 1, name: 'Check your answers before sending' }).waitFor()
    const check = (await iso.page.getByRole('main').textContent()) ?? ''
    expect(check).toContain('Manufacture of motor vehicles, trailers and parts')
    await clean(iso, 'the re-assessment’s check page')
    // Change the staff count, as a person re-checking last year's figures would.
    await iso.page.getByRole('link', { name: /Change\s*How many staff/ }).click()
    const staff = iso.page.getByLabel(/How many staff did your company have/)
    await staff.fill('about 185')
    await iso.page.getByRole('button', { name: 'Continue' }).click()
    await iso.page.getByRole('heading', { name: 'There is a problem' }).waitFor()
    await staff.fill('185')
    // Fixed: the stale "There is a problem" goes at once, before the next Continue.
    await iso.page.getByRole('heading', { name: 'There is a problem' }).waitFor({ state: 'detached' })
    await clean(iso, 'the fixed size page')
    await iso.page.getByRole('button', { name: 'Continue' }).click()
    await iso.page.getByRole('heading', { level: 1, name: 'Check your answers before sending' }).waitFor()
    await send(iso)
    await clean(iso, 'the submitted re-assessment')

    // The rules evaluate it; the ISO reviews the result and writes a note for management.
    const note = 'Staff grew to 185; nothing else changed. Please plan the BSI registration check in January.'
    await openFromInbox(iso.page, /Review the obligation decision/)
    await claim(iso.page)
    const outcome = iso.page.getByRole('group', { name: 'What is your review of the result?' })
    await outcome.waitFor()
    // The duties table scrolls on its own and can be reached with the keyboard.
    await iso.page
      .getByRole('region', { name: 'What the company must do, by when, and where the law says so' })
      .first()
      .waitFor()
    await clean(iso, 'the review task')
    await outcome.getByLabel('Confirm the result').check()
    await iso.page.getByLabel('Note for management').fill(note)
    await iso.page.getByRole('button', { name: 'Continue' }).click()
    await iso.page.getByRole('heading', { level: 1, name: 'Check your answers before sending' }).waitFor()
    await send(iso)
    await clean(iso, 'the submitted review')

    // Management's turn: the ISO's note is on the task, before the signature.
    const mgmt = await signedInAs(e2e, 'management')
    await openFromInbox(mgmt.page, /Acknowledge the obligation decision/)
    await claim(mgmt.page)
    const isoNote = mgmt.page.getByTestId('iso-note')
    await isoNote.waitFor()
    expect(await isoNote.textContent()).toContain(note)
    expect(await isoNote.textContent()).toContain('Ines Sommer')
    await mgmt.page
      .getByRole('region', { name: 'What the company must do, by when, and where the law says so' })
      .first()
      .waitFor()
    await clean(mgmt, 'the acknowledgement task')

    // Someone else's name is refused, at the field.
    const name = mgmt.page.getByLabel('Type your full name to confirm')
    await name.fill('Someone Else')
    await mgmt.page.getByRole('button', { name: 'Continue' }).click()
    const summary = mgmt.page.getByRole('heading', { name: 'There is a problem' })
    await summary.waitFor()
    expect(await mgmt.page.getByRole('main').textContent()).toContain(
      'Type your own name as it is shown in ismsflow: Martin Brandt',
    )
    await clean(mgmt, 'the refused signature')
    // Their own name, however typed, is taken; the problem goes as soon as it is fixed.
    await name.fill('martin  BRANDT')
    await summary.waitFor({ state: 'detached' })
    await mgmt.page.getByRole('button', { name: 'Continue' }).click()
    await mgmt.page.getByRole('heading', { level: 1, name: 'Check your answers before sending' }).waitFor()
    await send(mgmt)
    await clean(mgmt, 'the signed acknowledgement')

    // Decision 2 is recorded; "Start a full assessment" opens the questionnaire pre-filled from it.
    await iso.page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Assessments' })
      .click()
    await iso.page.getByRole('heading', { level: 1, name: 'Obligation assessments' }).waitFor()
    const started = iso.page.getByText('The questionnaire is waiting in your inbox', { exact: false })
    for (let attempt = 0; attempt < 30 && !(await started.isVisible()); attempt++) {
      // Until the decision is recorded, an assessment is still in progress ("already in progress").
      if (attempt > 0) await iso.page.waitForTimeout(1000)
      await iso.page.getByRole('button', { name: 'Start a full assessment' }).click()
      await iso.page
        .getByRole('status')
        .filter({ hasText: /inbox|in progress/ })
        .waitFor()
    }
    await clean(iso, 'the started assessment')
    await openFromInbox(
      iso.page,
      /Yearly re-assessment: which obligations apply to us\? \(after decision 2 of/,
    )
    if (await iso.page.getByRole('button', { name: 'Claim this task' }).isVisible()) await claim(iso.page)
    await iso.page.getByRole('heading', { level: 1, name: 'Check your answers before sending' }).waitFor()
    expect(await iso.page.getByRole('main').textContent()).toContain(
      'Manufacture of motor vehicles, trailers and parts',
    )
    expect(await iso.page.getByRole('main').textContent()).toContain('185')
    await clean(iso, 'the questionnaire after “Start a full assessment”')
  }, 300_000)

  it('every workflow type’s page shows its steps and its history, not “Loading…”', async () => {
    const iso = await signedInAs(e2e, 'iso')
    await iso.page.goto('/workflows')
    await iso.page.getByRole('heading', { level: 1 }).first().waitFor()
    const links = iso.page.getByRole('main').locator('a[href^="/workflows/"]')
    await links.first().waitFor()
    await clean(iso, 'the workflow list')
    const byType = new Map<string, string>()
    for (const href of await links.evaluateAll((as) => as.map((a) => a.getAttribute('href') ?? ''))) {
      const type = decodeURIComponent(href).split('/')[2].split(':')[0]
      if (!byType.has(type)) byType.set(type, href)
    }
    // The demo runs every type (and a type added later is visited too).
    expect([...byType.keys()]).toEqual(
      expect.arrayContaining([
        'ismsflow-approval',
        'ismsflow-certification',
        'ismsflow-obligation-assessment',
        'ismsflow-periodic-review',
        'ismsflow-questionnaire',
        'ismsflow-risk-treatment',
      ]),
    )
    for (const [type, href] of byType) {
      await iso.page.goto(href)
      await iso.page
        .getByRole('table', { name: 'Steps of the workflow, in the order they are defined' })
        .waitFor()
      await iso.page.getByRole('heading', { level: 2, name: 'What happened' }).waitFor()
      const history = iso.page.getByRole('table', { name: 'History of the workflow, oldest first' })
      expect(await history.getByRole('row').count(), `${type} history`).toBeGreaterThan(1)
      expect(await iso.page.getByRole('img').first().getAttribute('aria-label')).toBeTruthy()
      expect(await iso.page.getByText('Loading…').count(), type).toBe(0)
      await clean(iso, `the ${type} workflow page`)
    }
  }, 300_000)

  it('the calendar shows a measure on its due date, and the feed has it as an all-day date linking to this app', async () => {
    // The demo's measure for the ISO, due on a date.
    const tasks = await e2e.stack.deps.taskStore.list('nordlicht')
    const measure = tasks
      .map((r) => r.data)
      .find((t) => t.kind === 'risk-measure' && t.status === 'open' && t.assigneeUserId === 'demo-iso')
    const dueDate = (measure?.context.measure as { dueDate?: string } | undefined)?.dueDate
    expect(dueDate, 'a demo measure due on a date').toMatch(/^\d{4}-\d{2}-\d{2}$/)
    expect(dueDateOf(measure!.dueAt!)).toBe(dueDate)

    // In Berlin, where the end of a UTC day is already the next day.
    const iso = await e2e.newPage({ timezoneId: 'Europe/Berlin' })
    await signIn(iso.page, 'iso@demo.ismsflow.test')
    const longDate = new Intl.DateTimeFormat('en-GB', { dateStyle: 'long', timeZone: 'UTC' }).format(
      new Date(`${dueDateOf(measure!.dueAt!)}T12:00:00Z`),
    )
    await iso.page.goto(`/tasks/${measure!.id}`)
    await iso.page.getByRole('heading', { level: 2, name: 'About this task' }).waitFor()
    expect(await iso.page.getByRole('complementary').textContent()).toContain(longDate)
    // The risk's page says the same date for the measure and its task.
    const riskId = (measure!.context as { riskId?: string }).riskId
    await iso.page.goto(`/risks/${riskId}`)
    await iso.page.getByRole('heading', { level: 1 }).first().waitFor()
    await iso.page.getByText(`due ${longDate}`).first().waitFor()
    await clean(iso, 'the risk in Berlin')
    await iso.page.goto('/calendar')
    const day = iso.page.locator(`section[aria-labelledby="day-${dueDate}"]`)
    await day.waitFor()
    expect(await day.textContent()).toContain(measure!.title.en)
    expect(await day.textContent()).toContain('All day')
    // Not a day late (the end of its UTC day is already the next day in Berlin).
    const next = iso.page.locator(`section[aria-labelledby="day-${addDays(dueDate!, 1)}"]`)
    expect(
      (await next.count()) === 0 || !((await next.textContent()) ?? '').includes(measure!.title.en),
    ).toBe(true)
    await clean(iso, 'the calendar')

    await iso.page.getByRole('button', { name: 'Create my calendar link' }).click()
    const url = await iso.page.getByLabel('Your calendar link').inputValue()
    await clean(iso, 'the calendar with its link')
    const feed = await (await fetch(url)).text()
    const ymd = dueDate!.replace(/-/g, '')
    const event = feed
      .split('BEGIN:VEVENT')
      .find((e) => e.includes(`UID:task-nordlicht-${measure!.id}@`))
      ?.replace(/\r\n /g, '')
    expect(event).toContain(`DTSTART;VALUE=DATE:${ymd}\r\n`)
    expect(event).toContain(`DTEND;VALUE=DATE:${addDays(dueDate!, 1).replace(/-/g, '')}\r\n`)
    // Links point at the port the app really listens on (PUBLIC_URL's default).
    const port = new URL(e2e.baseUrl).port
    expect(event).toContain(`URL:http://localhost:${port}/tasks/${measure!.id}`)
  }, 300_000)

  it('the certification project: “What blocks Stage 1” in natural order, and moving the audit date without a date says so', async () => {
    const iso = await signedInAs(e2e, 'iso')
    await iso.page.goto('/certification')
    await iso.page.getByRole('link', { name: 'ISO/IEC 27001 certification, Lübeck site' }).click()
    const blockers = iso.page.getByRole('list', { name: 'What blocks Stage 1' })
    await blockers.waitFor()
    const ids = (await blockers.getByRole('listitem').allTextContents())
      .map((text) => /^(A\.\d+\.\d+):/.exec(text)?.[1])
      .filter((id): id is string => id !== undefined)
    expect(ids.length).toBeGreaterThan(1)
    expect(ids).toEqual([...ids].sort(naturalCompare))
    await clean(iso, 'the project')

    await iso.page.getByRole('button', { name: 'Move the audit date' }).click()
    const summary = iso.page.getByRole('alert').filter({ hasText: 'There is a problem' })
    await summary.waitFor()
    expect(await summary.textContent()).toContain('Enter the new audit date')
    expect(await iso.page.getByLabel('New audit date').getAttribute('aria-invalid')).toBe('true')
    await clean(iso, 'the project with the missing date')
    await summary.getByRole('link', { name: 'Enter the new audit date' }).click()
    expect(await iso.page.evaluate(() => document.activeElement?.id)).toBe('move-date')
  }, 300_000)

  it('anonymous pages ask who is signed in without an error', async () => {
    const visitor = await e2e.newPage()
    await visitor.page.goto('/')
    await visitor.page.getByRole('heading', { name: 'Sign in to ismsflow' }).waitFor()
    await clean(visitor, 'the sign-in page')
    await visitor.page.goto('/quick-check')
    await visitor.page
      .getByRole('heading', { level: 1, name: 'Quick check: which obligations apply?' })
      .waitFor()
    await clean(visitor, 'the quick check')
  }, 120_000)
})
