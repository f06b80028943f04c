import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type E2E, startE2E } from './support/harness.js'
import { clean, signedInAs } from './support/visitors.js'

/** Opens a task from the inbox by its title; the workflow opens it a moment after the start. */
async function openFromInbox(page: Page, title: RegExp) {
  const link = page.getByRole('main').getByRole('link', { name: title }).first()
  for (let attempt = 0; attempt < 40; attempt++) {
    await page.goto('/')
    await page.getByRole('heading', { level: 1, name: 'Inbox' }).waitFor()
    await page
      .getByRole('table')
      .or(page.getByText(/Nothing is waiting|No tasks/))
      .first()
      .waitFor()
    if (await link.isVisible()) break
    await page.waitForTimeout(250)
  }
  await link.click()
}

/** Reloads the page until `text` shows (the workflow's record step writes a moment later). */
async function textAfterReload(page: Page, text: string) {
  const node = page.getByText(text).first()
  for (let i = 0; i < 40 && !(await node.isVisible()); i++) {
    await page.waitForTimeout(250)
    await page.reload()
    await page.getByRole('heading', { level: 1 }).first().waitFor()
  }
  await node.waitFor({ timeout: 2000 })
}

describe('awareness campaigns in the browser', () => {
  let e2e: E2E
  beforeAll(async () => {
    e2e = await startE2E()
  })
  afterAll(async () => e2e?.close())

  it('the ISO starts a campaign, a member acknowledges in the inbox, the completion rate moves', async () => {
    const iso = await signedInAs(e2e, 'iso')
    await iso.page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Campaigns' }).click()
    await iso.page.getByRole('heading', { level: 1, name: 'Awareness campaigns' }).waitFor()
    // The demo campaign runs at 70 %, in words.
    await iso.page.getByText('70 % (7 of 10 acknowledged)').waitFor()
    await clean(iso, 'the register')

    await iso.page.getByRole('link', { name: 'Start a campaign' }).click()
    await iso.page.getByRole('heading', { level: 1, name: 'Start a campaign' }).waitFor()
    await clean(iso, 'the start form')
    // Nothing chosen: the summary takes focus and names each field.
    await iso.page.getByRole('button', { name: 'Start the campaign' }).click()
    const summary = iso.page.getByRole('alert').filter({ hasText: 'There is a problem' })
    await summary.waitFor()
    expect(await summary.textContent()).toContain('Choose what people should do')
    expect(await summary.textContent()).toContain('Enter a title in English')
    await clean(iso, 'the refused form')

    await iso.page.getByLabel('Policy acknowledgement').check()
    await iso.page.getByLabel('Title in English').fill('Acknowledge the mobile device policy v1.0')
    await iso.page
      .getByLabel('Title in German (optional)')
      .fill('Richtlinie für mobile Geräte v1.0 zur Kenntnis nehmen')
    await iso.page.getByLabel('Policy version, course or lesson (optional)').fill('ISMS-RL-09 v1.0')
    await iso.page.getByLabel('Chosen people').check()
    await iso.page.getByRole('button', { name: 'Start the campaign' }).click()
    await iso.page.getByText('Choose at least one person').first().waitFor()
    await iso.page.getByRole('group', { name: 'People' }).getByLabel('Mia Keller').check()
    await iso.page.getByRole('button', { name: 'Start the campaign' }).click()
    await iso.page
      .getByRole('heading', { level: 1, name: 'Acknowledge the mobile device policy v1.0' })
      .waitFor()
    await iso.page.getByText('0 % (0 of 1 acknowledged)').waitFor()
    expect(await iso.page.getByRole('table').textContent()).toContain('Not yet acknowledged')
    await clean(iso, 'the campaign page')
    const campaignUrl = iso.page.url()

    // The member acknowledges in the inbox with her own name.
    const member = await signedInAs(e2e, 'member')
    await openFromInbox(member.page, /Acknowledge the mobile device policy v1\.0/)
    await member.page.getByLabel('Type your full name to confirm').fill('Mia Keller')
    await clean(member, 'the acknowledgement task')
    await member.page.getByRole('button', { name: 'Continue' }).click()
    await member.page.getByRole('heading', { level: 1, name: 'Check your answers before sending' }).waitFor()
    await member.page.getByRole('button', { name: 'Submit answers' }).click()
    await member.page.getByRole('heading', { level: 1, name: 'Task completed' }).waitFor({ timeout: 30_000 })
    await clean(member, 'the completed task')

    // The rate moves: the campaign closes at 100 %.
    await iso.page.goto(campaignUrl)
    await textAfterReload(iso.page, '100 % (1 of 1 acknowledged)')
    expect(await iso.page.getByRole('table').textContent()).toContain('Acknowledged')
    await clean(iso, 'the closed campaign')

    // Auditors read the register as evidence.
    const auditor = await signedInAs(e2e, 'auditor')
    await auditor.page.goto('/awareness')
    await auditor.page.getByRole('link', { name: 'Acknowledge the mobile device policy v1.0' }).waitFor()
    expect(await auditor.page.getByRole('link', { name: 'Start a campaign' }).count()).toBe(0)
    await clean(auditor, 'the register for auditors')
  }, 180_000)
})
