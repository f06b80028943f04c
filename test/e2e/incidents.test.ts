import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { axeViolations, type E2E, startE2E } from './support/harness.js'
import { signedInAs } from './support/visitors.js'

/** Completes the task form on the task page: continue through its pages, check the answers, submit. */
async function submitTask(page: Page) {
  await page.getByRole('button', { name: 'Continue' }).click()
  await page.getByRole('heading', { level: 1, name: 'Check your answers before sending' }).waitFor()
  await page.getByRole('button', { name: 'Submit answers' }).click()
  await page.getByRole('heading', { level: 1, name: 'Task completed' }).waitFor()
}
/** A task for the ISO role is claimed first, so that others see someone works on it. */
async function claim(page: Page) {
  const button = page.getByRole('button', { name: 'Claim this task' })
  await button.waitFor()
  await button.click()
  await page.getByRole('button', { name: 'Continue' }).waitFor()
}
/** Reloads the page until `name` is a link on it (the engine creates tasks a moment later). */
async function linkAfterReload(page: Page, name: RegExp) {
  const link = page.getByRole('link', { name })
  for (let i = 0; i < 40 && (await link.count()) === 0; i++) {
    await page.waitForTimeout(250)
    await page.reload()
    await page.getByRole('heading', { level: 1 }).first().waitFor()
  }
  return link
}
const choose = (page: Page, question: string | RegExp, answer: string | RegExp) =>
  page
    .getByRole('group', { name: question })
    .getByLabel(answer, { exact: typeof answer === 'string' })
    .check()

describe('security incidents in the browser', () => {
  let e2e: E2E
  beforeAll(async () => {
    e2e = await startE2E()
  })
  afterAll(async () => e2e?.close())

  it('a member reports, the ISO triages, the clocks show, the early warning is marked sent', async () => {
    // A member reports from the header link, on one page.
    const member = await signedInAs(e2e, 'member')
    await member.page.getByRole('link', { name: 'Report an incident' }).click()
    await member.page.getByRole('heading', { level: 1, name: 'Report an incident' }).waitFor()
    expect(await axeViolations(member.page)).toEqual([])
    // Nothing entered: the error summary takes focus and names the field.
    await member.page.getByRole('button', { name: 'Report the incident' }).click()
    await member.page.getByRole('alert').filter({ hasText: 'There is a problem' }).waitFor()
    await member.page.getByLabel('What happened?').fill('Suspicious logins on the VPN gateway')
    await member.page
      .getByLabel('Describe what you saw (optional)')
      .fill('Logins from abroad at night, then a new admin account.')
    await member.page
      .getByRole('group', { name: /seriously disrupts/ })
      .getByLabel('Yes')
      .check()
    await member.page.getByRole('button', { name: 'Report the incident' }).click()
    await member.page
      .getByRole('heading', { level: 1, name: 'Suspicious logins on the VPN gateway' })
      .waitFor()
    const url = member.page.url()
    const id = decodeURIComponent(url.split('/incidents/')[1])
    await member.page.getByText(/Early warning to the BSI within 24 h \(§32\(1\) no\. 1 BSIG\)/).waitFor()
    await member.page
      .getByText(/^due in 2\d h \d+ min$|^due in 1 d$/)
      .first()
      .waitFor()
    expect(await axeViolations(member.page)).toEqual([])

    // The ISO triages from the incident page's task link.
    const iso = await signedInAs(e2e, 'iso')
    await iso.page.goto(`/incidents/${encodeURIComponent(id)}`)
    await (await linkAfterReload(iso.page, /^Triage the security incident: Suspicious logins/)).click()
    await claim(iso.page)
    await choose(iso.page, /severe disruption/, 'No')
    await choose(iso.page, /considerable financial loss/, 'No')
    await choose(iso.page, /considerable material or non-material damage/, 'No')
    await choose(iso.page, /unlawful or malicious act/, 'Yes')
    await choose(iso.page, /cross-border impact/, 'No')
    await iso.page.getByRole('button', { name: 'Continue' }).click()
    await choose(iso.page, /significant incident/, 'Yes, significant')
    await iso.page.getByRole('button', { name: 'Continue' }).click()
    await choose(iso.page, /personal data breach/, 'No')
    await submitTask(iso.page)

    // The clocks show, in words, naming their paragraph; the early warning is a task with the draft.
    await iso.page.goto(`/incidents/${encodeURIComponent(id)}`)
    const early = iso.page.locator('[data-kind="nis2-early-warning"]')
    await early.getByText(/^due in/).waitFor()
    await iso.page
      .locator('[data-kind="nis2-notification"]')
      .getByText(/§32\(1\) no\. 2 BSIG/)
      .waitFor()
    expect(await axeViolations(iso.page)).toEqual([])
    await (await linkAfterReload(iso.page, /^Early warning to the BSI within 24 h/)).click()
    await claim(iso.page)
    const draft = iso.page.getByLabel('Report as sent')
    await draft.waitFor()
    expect(await draft.inputValue()).toContain('Meldende Einrichtung / Reporting entity: Nordlicht')
    await choose(iso.page, 'How was it sent?', 'BSI reporting portal')
    await iso.page.getByLabel(/^Portal reference or case number/).fill('BSI-2026-777')
    await submitTask(iso.page)

    // The workflow records the report after the task's completion: look again until it has
    // (up to a minute: on a busy machine the step runs behind the answer). Sent within a minute
    // of the report, the early warning reads "sent 1 d early".
    for (let attempt = 1; ; attempt++) {
      await iso.page.goto(`/incidents/${encodeURIComponent(id)}`)
      try {
        await early.getByText(/^sent (\d+ (h|min)( \d+ min)?|1 d) early$/).waitFor({ timeout: 5_000 })
        break
      } catch (err) {
        if (attempt === 12)
          throw new Error(`the early warning never showed as sent; it reads: ${await early.innerText()}`, {
            cause: err,
          })
      }
    }
    await iso.page.getByText(/BSI-2026-777/).waitFor()
    expect(await axeViolations(iso.page)).toEqual([])

    // The register lists it; the demo's open incident shows its late-soon notification.
    await iso.page.getByRole('link', { name: 'Incidents' }).first().click()
    await iso.page.getByRole('table', { name: /Security incidents of/ }).waitFor()
    await iso.page.getByRole('link', { name: 'Suspicious logins on the VPN gateway' }).waitFor()
    await iso.page.getByRole('link', { name: 'Ransomware on the CAD file server' }).waitFor()
    expect(await axeViolations(iso.page)).toEqual([])
    expect([...member.errors, ...iso.errors]).toEqual([])
  })
})
