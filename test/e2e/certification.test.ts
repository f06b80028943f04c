import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addDays, toIsoDate } from '../../functions/domain/risk/calendar.js'
import { axeViolations, type E2E, startE2E } from './support/harness.js'
import { signedInAs } from './support/visitors.js'

const score = async (page: Page) =>
  Number(/(\d+)/.exec((await page.getByTestId('readiness-score').textContent()) ?? '')?.[1])
const themePercent = async (page: Page, theme: string) =>
  Number(/(\d+)/.exec((await page.getByTestId(`theme-${theme}`).textContent()) ?? '')?.[1])
const dueOf = async (page: Page, milestone: string) =>
  page.locator(`tr[data-milestone="${milestone}"] time`).getAttribute('datetime')

describe('certification in the browser', () => {
  let e2e: E2E
  beforeAll(async () => {
    e2e = await startE2E()
  })
  afterAll(async () => e2e?.close())

  it('the ISO creates a project and assigns two controls, the owner adds evidence, readiness and the timeline move, the auditor reads only', async () => {
    const today = toIsoDate(new Date())
    const auditDate = addDays(today, 300)

    // The ISO (first in Hafenstadt) switches to Nordlicht and finds the demo project.
    const iso = await signedInAs(e2e, 'iso')
    await iso.page.getByLabel('Organisation').selectOption({ label: 'Nordlicht Maschinenbau GmbH' })
    await iso.page.getByRole('button', { name: 'Switch' }).click()
    await iso.page.getByRole('link', { name: 'Certification', exact: true }).click()
    await iso.page.getByRole('link', { name: 'ISO/IEC 27001 certification, Lübeck site' }).waitFor()
    expect(await axeViolations(iso.page)).toEqual([])

    // An audit date in the past is refused with a summary naming the field; nothing is created.
    await iso.page.getByLabel('Audit date').fill(addDays(today, -2))
    await iso.page.getByRole('button', { name: 'Create project' }).click()
    await iso.page.getByRole('alert').getByText('Audit date: must not be in the past').waitFor()

    await iso.page.getByLabel('Audit date').fill(auditDate)
    await iso.page.getByLabel('Name of the project (optional)').fill('ISO 27001 e2e project')
    await iso.page.getByRole('button', { name: 'Create project' }).click()
    await iso.page.getByRole('heading', { level: 1, name: 'ISO 27001 e2e project' }).waitFor()
    const projectUrl = new URL(iso.page.url()).pathname
    expect(await dueOf(iso.page, 'stage-2')).toBe(auditDate)
    // States are written out, not only coloured.
    await iso.page.locator('tr[data-milestone="scope-context"]').getByText('Can start').waitFor()
    const before = {
      score: await score(iso.page),
      technological: await themePercent(iso.page, 'technological'),
    }
    expect(before.technological).toBe(0)
    expect(await axeViolations(iso.page)).toEqual([])

    // Two controls for Mia Keller.
    for (const [id, name] of [
      ['A.5.15', 'A.5.15'],
      ['A.8.7', 'A.8.7'],
    ]) {
      await iso.page.goto(`${projectUrl}/soa`)
      await iso.page.getByRole('link', { name: new RegExp(`^${name.replaceAll('.', '\\.')} `) }).click()
      await iso.page.getByRole('heading', { level: 2, name: 'Decide this control' }).waitFor()
      await iso.page.getByLabel('Business requirement or good practice').check()
      await iso.page.getByLabel('How far is it implemented?').selectOption({ label: 'Partly implemented' })
      await iso.page.getByLabel('Who owns it?').selectOption({ label: 'Mia Keller' })
      if (id === 'A.5.15') {
        // An included control needs a justification too (6.1.3 d): the summary names the field.
        await iso.page.getByRole('button', { name: 'Save the decision' }).click()
        await iso.page
          .getByRole('alert')
          .getByRole('link', { name: /^Justification: explain why the control is included/ })
          .click()
        expect(await iso.page.evaluate(() => document.activeElement?.id)).toBe('d-justification')
        expect(await axeViolations(iso.page)).toEqual([])
      }
      await iso.page
        .getByLabel('Justification', { exact: true })
        .fill('Customer drawings and ERP data must only reach the people who need them.')
      await iso.page.getByRole('button', { name: 'Save the decision' }).click()
      await iso.page.getByText('The decision is saved.').waitFor()
      expect(await iso.page.getByTestId('decision').textContent()).toContain('Mia Keller')
      expect(id).toBe(name)
    }
    expect(await axeViolations(iso.page)).toEqual([])

    // The owner sees her two controls only, uploads a file for one and links evidence for the other.
    const member = await signedInAs(e2e, 'member')
    await member.page.goto(`${projectUrl}/soa`)
    await member.page.getByRole('heading', { level: 1, name: 'Statement of Applicability' }).waitFor()
    await member.page.getByText('These are the controls you own.').waitFor()
    expect(
      await member.page
        .locator('li[data-control]')
        .evaluateAll((els) => els.map((e) => e.getAttribute('data-control'))),
    ).toEqual(['A.5.15', 'A.8.7'])
    await member.page.getByRole('link', { name: /^A\.8\.7 / }).click()
    await member.page.getByRole('heading', { level: 2, name: 'Upload a file' }).waitFor()
    expect(await member.page.getByRole('heading', { name: 'Decide this control' }).count()).toBe(0)
    await member.page.getByLabel('File', { exact: true }).setInputFiles({
      name: 'edr-coverage.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from('host,edr\nNL-ENG-014,active\n'),
    })
    await member.page.getByLabel('Title (optional)').fill('EDR coverage export')
    await member.page.getByRole('button', { name: 'Upload the file' }).click()
    await member.page.getByText('The evidence is added.').waitFor()
    await member.page.getByTestId('evidence').getByText('Fresh', { exact: true }).waitFor()
    await member.page.getByLabel('How far is it implemented?').selectOption({ label: 'Implemented' })
    await member.page.getByRole('button', { name: 'Save the status' }).click()
    await member.page.getByText('The status is saved.').waitFor()
    expect(await axeViolations(member.page)).toEqual([])

    await member.page.goto(`${projectUrl}/soa/A.5.15`)
    await member.page.getByLabel('What is it?').fill('Access control policy v2')
    await member.page
      .getByLabel('Link', { exact: true })
      .fill('https://dms.nordlicht-maschinenbau.example/isms/policies/access-control.pdf')
    await member.page.getByRole('button', { name: 'Add the link' }).click()
    await member.page.getByText('The evidence is added.').waitFor()
    await member.page.getByLabel('How far is it implemented?').selectOption({ label: 'Implemented' })
    await member.page.getByRole('button', { name: 'Save the status' }).click()
    await member.page.getByText('The status is saved.').waitFor()

    // Readiness moves for the ISO, and the timeline follows a moved audit date.
    await iso.page.goto(projectUrl)
    await iso.page.getByTestId('readiness-score').waitFor()
    expect(await themePercent(iso.page, 'technological')).toBeGreaterThan(before.technological)
    expect(await score(iso.page)).toBeGreaterThan(before.score)
    const auditDueBefore = await dueOf(iso.page, 'internal-audit')
    const later = addDays(auditDate, 21)
    await iso.page.getByLabel('New audit date').fill(later)
    await iso.page.getByRole('button', { name: 'Move the audit date' }).click()
    await iso.page.getByText(/The audit date is now/).waitFor()
    // The project reloads after the message: wait for the new date, then read the plan.
    await iso.page.locator(`[data-testid="audit-date"][datetime="${later}"]`).waitFor()
    expect(await iso.page.getByTestId('audit-date').getAttribute('datetime')).toBe(later)
    expect(await dueOf(iso.page, 'stage-2')).toBe(later)
    expect(await dueOf(iso.page, 'internal-audit')).toBe(addDays(auditDueBefore!, 21))

    // The auditor reads the SoA, the evidence and the milestones, and cannot change anything.
    const auditor = await signedInAs(e2e, 'auditor')
    await auditor.page.goto(projectUrl)
    await auditor.page.getByText('Read-only view for auditors').waitFor()
    await auditor.page.getByTestId('milestones').waitFor()
    expect(await auditor.page.getByTestId('readiness-score').count()).toBe(0)
    expect(await auditor.page.getByRole('button', { name: 'Move the audit date' }).count()).toBe(0)
    await auditor.page.getByRole('link', { name: 'Statement of Applicability', exact: true }).click()
    await auditor.page.getByTestId('soa-counts').waitFor()
    await auditor.page.getByRole('link', { name: /^A\.8\.7 / }).click()
    await auditor.page.getByTestId('evidence').getByText('EDR coverage export').waitFor()
    for (const name of ['Save the decision', 'Upload the file', 'Add the link', 'Save the status', 'Remove'])
      expect(await auditor.page.getByRole('button', { name }).count(), name).toBe(0)
    expect(await axeViolations(auditor.page)).toEqual([])
    const statuses = await auditor.page.evaluate(async (base) => {
      const csrf = (await (await fetch('/api/session')).json()).csrfToken as string
      const send = (method: string, path: string, body: unknown) =>
        fetch(`/api/certification/projects/${base}${path}`, {
          method,
          headers: { 'content-type': 'application/json', 'x-csrf-token': csrf },
          body: JSON.stringify(body),
        }).then((r) => r.status)
      return {
        decide: await send('PUT', '/soa/A.8.7', {
          applicable: false,
          status: 'not-applicable',
          justification: 'no',
        }),
        status: await send('PATCH', '/soa/A.8.7/status', { status: 'partial' }),
        evidence: await send('POST', '/soa/A.8.7/evidence', {
          title: 'x',
          date: '2026-01-01',
          url: 'https://example.org',
        }),
        readiness: (await fetch(`/api/certification/projects/${base}/readiness`)).status,
      }
    }, projectUrl.split('/').pop()!)
    expect(statuses).toEqual({ decide: 403, status: 403, evidence: 403, readiness: 403 })
    await auditor.page.goto(`${projectUrl}/evidence-index`)
    await auditor.page.getByRole('cell', { name: 'EDR coverage export' }).waitFor()
    expect(auditor.errors.filter((e) => !/status of 403/.test(e))).toEqual([])
    expect(iso.errors.filter((e) => !/status of 400/.test(e))).toEqual([])
    expect(member.errors).toEqual([])
  })
})
