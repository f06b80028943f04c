import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { hashPassword } from '../../functions/api/auth/password.js'
import { DEMO_PASSWORD } from '../../infra/local/seed/index.js'
import { axeViolations, type E2E, openInbox, signIn, startE2E } from './support/harness.js'
import { signedInAs } from './support/visitors.js'

const DAY = 86_400_000

/** The polite live region of the form renderer. */
const announcer = (page: Page) => page.getByTestId('form-announcer')

/** Waits until the form's live region says `text` (it is filled a moment after the change). */
async function announced(page: Page, text: RegExp) {
  await page.waitForFunction(
    (source) =>
      new RegExp(source).test(document.querySelector('[data-testid="form-announcer"]')?.textContent ?? ''),
    text.source,
  )
  return announcer(page).textContent()
}

const focusedClass = (page: Page) => page.evaluate(() => document.activeElement?.className ?? '')

describe('human tasks in the browser', () => {
  let e2e: E2E

  beforeAll(async () => {
    e2e = await startE2E()
    // A second manager, who requests an approval and so must not decide it.
    const { identity } = e2e.stack.deps
    await identity.createUser({
      id: 'e2e-management-2',
      email: 'deputy@demo.ismsflow.test',
      name: 'Greta Vogt',
      passwordHash: await hashPassword(DEMO_PASSWORD),
    })
    await identity.addMembership({ userId: 'e2e-management-2', orgId: 'nordlicht', roles: ['management'] })
  })
  afterAll(async () => e2e?.close())

  it('the ISO starts a questionnaire; the member fills the multi-page form, reloads midway, resumes on another device and submits after checking', async () => {
    const title = 'Onboarding answers for the Leipzig plant'
    // The ISO (first in Hafenstadt) switches to Nordlicht and starts the questionnaire.
    const iso = await signedInAs(e2e, 'iso')
    await iso.page.goto('/workflows')
    await iso.page
      .getByLabel('Organisation', { exact: true })
      .selectOption({ label: 'Nordlicht Maschinenbau GmbH' })
    await iso.page.getByRole('button', { name: 'Switch' }).click()
    await iso.page.getByRole('cell', { name: /Approve the information security policy v2/ }).waitFor()

    // Starting with nothing filled in: an error summary that takes focus and links to the fields.
    await iso.page.getByRole('button', { name: 'Start workflow' }).click()
    const startSummary = iso.page.getByRole('alert').filter({ hasText: 'There is a problem' })
    await startSummary.waitFor()
    expect(await focusedClass(iso.page)).toContain('error-summary')
    await expect(startSummary.textContent()).resolves.toContain('Choose what you want to start')
    await startSummary.getByRole('link', { name: 'Enter a title in English' }).click()
    expect(await iso.page.evaluate(() => document.activeElement?.id)).toBe('start-titleEn')

    await iso.page.getByLabel('A questionnaire').check()
    await iso.page.getByLabel('Title in English').fill(title)
    await iso.page.getByLabel('Which questionnaire?').selectOption({ label: 'Organisation onboarding' })
    await iso.page.getByLabel('Who should answer it?').selectOption({ label: 'Mia Keller' })
    const due = new Date(e2e.stack.clock.nowMs() + 10 * DAY).toISOString().slice(0, 10)
    await iso.page.getByLabel('Due date').fill(due)
    await iso.page.getByRole('button', { name: 'Start workflow' }).click()
    await iso.page.waitForURL(/\/workflows\/ismsflow-questionnaire:questionnaire-/)
    await iso.page.getByRole('heading', { level: 1, name: title }).waitFor()
    expect(await iso.page.getByRole('main').textContent()).toContain('Ines Sommer started the workflow')
    expect(await axeViolations(iso.page)).toEqual([])
    expect(iso.errors).toEqual([])

    // The member finds it under "Mine" and opens it.
    const member = await signedInAs(e2e, 'member')
    await openInbox(member.page)
    await member.page.getByRole('link', { name: title }).click()
    await member.page.waitForURL(/\/tasks\//)
    await member.page.getByRole('heading', { level: 1, name: 'Your organisation' }).waitFor()
    const taskUrl = new URL(member.page.url())

    // Continue without answers: "There is a problem", focused and announced.
    await member.page.getByRole('button', { name: 'Continue' }).click()
    await member.page.getByRole('heading', { name: 'There is a problem' }).waitFor()
    expect(await focusedClass(member.page)).toContain('error-summary')
    expect(await announced(member.page, /There is a problem: \d answers need your attention/)).toMatch(
      /There is a problem/,
    )
    expect(await member.page.title()).toMatch(/^Error: /)

    await member.page.getByLabel('What is the name of your organisation?').fill('Nordlicht Maschinenbau GmbH')
    await member.page.getByLabel('Manufacturing').check()
    await member.page.getByLabel('How many people work for your organisation?').fill('180')
    await member.page.getByRole('button', { name: 'Continue' }).click()

    // 180 staff make a medium enterprise: the conditional NIS2 page appears.
    await member.page.getByRole('heading', { level: 1, name: 'NIS2' }).waitFor()
    await member.page
      .getByRole('group', { name: /critical facility/ })
      .getByLabel('No', { exact: true })
      .check()
    for (const row of ['Availability', 'Confidentiality', 'Integrity'])
      await member.page.getByRole('group', { name: row }).getByLabel('High').check()
    await member.page.getByRole('button', { name: 'Continue' }).click()
    await member.page.getByRole('heading', { level: 1, name: 'Security contact' }).waitFor()
    await member.page.getByLabel('Who is your security contact?').fill('Mia Keller')
    // The draft is saved (debounced) before the reload.
    await member.page.waitForFunction(() =>
      /saved at/.test(document.querySelector('[data-testid="autosave-status"]')?.textContent ?? ''),
    )

    await member.page.reload()
    await member.page.getByRole('heading', { level: 1, name: 'Security contact' }).waitFor()
    await member.page.getByTestId('draft-restored').waitFor()
    expect(await member.page.getByLabel('Who is your security contact?').inputValue()).toBe('Mia Keller')

    // Another device: the same draft, resumed at the first page still to answer.
    const other = await signedInAs(e2e, 'member')
    await other.page.goto(taskUrl.pathname)
    await other.page.getByRole('heading', { level: 1, name: 'Security contact' }).waitFor()
    expect(await other.page.getByLabel('Who is your security contact?').inputValue()).toBe('Mia Keller')
    await other.context.close()

    // A wrong e-mail address is named at its field and announced.
    await member.page.getByLabel('Their email address').fill('mia.keller')
    await member.page.getByRole('button', { name: 'Continue' }).click()
    await member.page
      .getByRole('link', { name: /Enter an email address in the correct format/ })
      .first()
      .waitFor()
    expect(await announced(member.page, /There is a problem: 1 answer needs your attention/)).toBeTruthy()
    await member.page.getByLabel('Their email address').fill('mia.keller@nordlicht.example')
    await member.page.getByRole('button', { name: 'Continue' }).click()
    await member.page.getByRole('heading', { level: 1, name: 'Confirm your answers' }).waitFor()
    await member.page.getByLabel('Type your full name to confirm').fill('Mia Keller')
    await member.page.getByRole('button', { name: 'Continue' }).click()

    // Check your answers, change one, come back, submit.
    await member.page.getByRole('heading', { level: 1, name: 'Check your answers before sending' }).waitFor()
    const check = await member.page.getByRole('main').textContent()
    expect(check).toContain('Nordlicht Maschinenbau GmbH')
    expect(check).toContain('NIS2')
    await member.page
      .getByRole('link', { name: 'Change How many people work for your organisation?' })
      .click()
    await member.page.getByLabel('How many people work for your organisation?').fill('185')
    await member.page.getByRole('button', { name: 'Continue' }).click()
    await member.page.getByRole('heading', { level: 1, name: 'Check your answers before sending' }).waitFor()
    expect(await member.page.getByRole('main').textContent()).toContain('185')
    expect(await axeViolations(member.page)).toEqual([])
    await member.page.getByRole('button', { name: 'Submit answers' }).click()
    await member.page.getByRole('heading', { level: 1, name: 'Task completed' }).waitFor()
    expect(await member.page.evaluate(() => document.activeElement?.textContent)).toBe('Task completed')
    await member.page.waitForFunction(
      () => document.querySelector('[data-testid="task-announcer"]')?.textContent === 'Task completed',
    )

    // The workflow continued once, with the answers (the hidden-page logic kept the NIS2 answers).
    const rec = (await e2e.stack.deps.taskStore.list('nordlicht')).find((r) => r.data.title.en === title)!
    const finished = await e2e.stack.engine.awaitExecution(rec.data.workflow.executionArn)
    expect(finished.status).toBe('SUCCEEDED')
    const output = JSON.parse(finished.output!)
    expect(output).toMatchObject({
      outcome: 'answered',
      completedByName: 'Mia Keller',
      computed: { sizeClass: 'medium' },
    })
    expect(output.answers).toMatchObject({
      employees: 185,
      kritis: 'no',
      contactEmail: 'mia.keller@nordlicht.example',
    })
    expect(member.errors).toEqual([])
  })

  it('a manager approves with a comment; the manager who requested it cannot decide and is told why', async () => {
    const title = 'Approve the access control policy v3'
    const { executionArn } = await e2e.stack.deps.workflows.start(
      'approval',
      {
        orgId: 'nordlicht',
        title: { en: title, de: 'Zugriffskontrollrichtlinie v3 freigeben' },
        requestedBy: 'e2e-management-2',
        dueInDays: 7,
        context: {
          reference: 'ISMS-RL-04, version 3',
          details: 'Quarterly access reviews for the CAD vault.',
        },
      },
      'e2e-access-policy-v3',
    )

    // The requester sees the approval in the role's queue but may not decide it.
    const requester = await e2e.newPage()
    await signIn(requester.page, 'deputy@demo.ismsflow.test')
    await openInbox(requester.page)
    await requester.page.getByRole('link', { name: 'My roles – unclaimed' }).click()
    await requester.page.getByRole('link', { name: title }).click()
    await requester.page.getByTestId('four-eyes').waitFor()
    expect(await requester.page.getByTestId('four-eyes').textContent()).toContain(
      'Under the four-eyes rule someone else must decide',
    )
    expect(await requester.page.getByRole('button', { name: 'Claim this task' }).count()).toBe(0)
    expect(await requester.page.getByLabel('Approve').count()).toBe(0)
    expect(await requester.page.getByRole('main').textContent()).toContain(
      'Quarterly access reviews for the CAD vault.',
    )
    expect(await axeViolations(requester.page)).toEqual([])
    // Even a forged request is refused by the server with the four-eyes reason.
    const taskId = new URL(requester.page.url()).pathname.split('/').pop()!
    const forged = await requester.page.evaluate(async (id) => {
      const session = await (await fetch('/api/session')).json()
      const res = await fetch(`/api/tasks/${id}/complete`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-csrf-token': session.csrfToken },
        body: JSON.stringify({ answers: { decision: { outcome: 'approve' } } }),
      })
      return { status: res.status, body: await res.json() }
    }, taskId)
    expect(forged.status).toBe(403)
    expect(forged.body.error.message).toMatch(/Four-eyes/)

    // Martin Brandt claims it and decides.
    const manager = await signedInAs(e2e, 'management')
    await openInbox(manager.page)
    await manager.page.getByRole('link', { name: 'My roles – unclaimed' }).click()
    await manager.page.getByRole('link', { name: title }).click()
    await manager.page.getByRole('button', { name: 'Claim this task' }).click()
    await manager.page.getByRole('heading', { level: 1, name: 'Do you approve this request?' }).waitFor()
    // The announcement follows the page update (a live region).
    await expect
      .poll(() => manager.page.getByTestId('task-announcer').textContent(), { timeout: 10_000 })
      .toContain('You claimed this task')

    // Rejecting without a comment is refused, at the comment, and announced.
    await manager.page.getByLabel('Reject').check()
    await manager.page.getByRole('button', { name: 'Continue' }).click()
    await manager.page.getByRole('heading', { name: 'There is a problem' }).waitFor()
    expect(await focusedClass(manager.page)).toContain('error-summary')
    expect(await announced(manager.page, /There is a problem/)).toMatch(/1 answer needs your attention/)

    await manager.page.getByLabel('Approve').check()
    await manager.page.getByLabel(/^Comment/).fill('Approved for the roll-out in Q3.')
    await manager.page.getByRole('button', { name: 'Continue' }).click()
    await manager.page.getByRole('heading', { level: 1, name: 'Check your answers before sending' }).waitFor()
    await manager.page.getByRole('button', { name: 'Submit decision' }).click()
    await manager.page.getByRole('heading', { level: 1, name: 'Task completed' }).waitFor()

    const finished = await e2e.stack.engine.awaitExecution(executionArn)
    expect(JSON.parse(finished.output!)).toMatchObject({
      outcome: 'approved',
      rounds: [{ outcome: 'approve', comment: 'Approved for the roll-out in Q3.', byName: 'Martin Brandt' }],
    })

    // The requester's page, reloaded, says who decided and when; the workflow page tells the story.
    await requester.page.reload()
    await requester.page.getByText(/This task was already completed by Martin Brandt at /).waitFor()
    await manager.page.getByRole('link', { name: 'See the whole workflow' }).first().click()
    await manager.page.getByRole('heading', { level: 1, name: title }).waitFor()
    const story = await manager.page.getByRole('main').textContent()
    expect(story).toContain('Martin Brandt completed “Approve the access control policy v3”.')
    expect(story).toContain('The workflow finished.')
    expect(
      await manager.page
        .getByRole('row', { name: /Approved/ })
        .first()
        .textContent(),
    ).toContain('Done')
    expect(await axeViolations(manager.page)).toEqual([])
    expect(manager.errors).toEqual([])
    // The only console error is the forged request's 403.
    expect(requester.errors).toEqual([
      'console: Failed to load resource: the server responded with a status of 403 (Forbidden)',
    ])
  })

  it('the ISO sees tasks of all organisations in one inbox and opens one in the other organisation', async () => {
    const { page, errors } = await e2e.newPage()
    await signIn(page, 'iso@demo.ismsflow.test')
    await openInbox(page)
    await page.getByRole('button', { name: 'All organisations' }).click()
    await page.waitForURL(/scope=all/)
    expect(await page.getByRole('button', { name: 'All organisations' }).getAttribute('aria-pressed')).toBe(
      'true',
    )
    const row = page.getByRole('row', { name: /Review the security of the yard management cloud/ })
    await row.waitFor()
    expect(await row.textContent()).toContain('Hafenstadt Logistik AG')
    // Switch to Nordlicht first, then open the Hafenstadt task from the shared inbox: it switches back.
    await page
      .getByLabel('Organisation', { exact: true })
      .selectOption({ label: 'Nordlicht Maschinenbau GmbH' })
    await page.getByRole('button', { name: 'Switch' }).click()
    await page.waitForFunction(() =>
      document.querySelector('.user-roles')?.textContent?.includes('Nordlicht'),
    )
    expect(await page.getByRole('button', { name: 'All organisations' }).getAttribute('aria-pressed')).toBe(
      'true',
    )
    await page.getByRole('link', { name: /Review the security of the yard management cloud/ }).click()
    await page.getByRole('heading', { level: 1, name: 'The supplier' }).waitFor()
    expect(await page.getByRole('banner').textContent()).toContain('Hafenstadt Logistik AG')
    expect(errors).toEqual([])
  })
})
