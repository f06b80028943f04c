import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { isOpen } from '../../functions/domain/tasks.js'
import { axeViolations, type E2E, startE2E } from './support/harness.js'
import { signedInAs } from './support/visitors.js'

describe('management duties under § 38 BSIG in the browser', () => {
  let e2e: E2E
  beforeAll(async () => {
    e2e = await startE2E()
  })
  afterAll(async () => e2e?.close())

  it('the ISO asks management to approve the measures; Martin Brandt approves in his task; the page shows it with the training due soon', async () => {
    // The ISO opens the duties from the current obligation decision.
    const iso = await signedInAs(e2e, 'iso')
    await iso.page.goto('/management-duties')
    await iso.page.getByRole('heading', { level: 1, name: 'Management duties (§ 38 BSIG)' }).waitFor()
    await iso.page.getByText('Training due soon (§ 38 Abs. 3 BSIG)').waitFor()
    await iso.page.getByRole('link', { name: 'Teilnahmebescheinigung-NIS2-Geschaeftsleitung.pdf' }).waitFor()
    expect(await axeViolations(iso.page)).toEqual([])
    await iso.page.getByRole('button', { name: 'Ask management to approve the current measures' }).click()
    await iso.page.getByText('Waiting for management’s approval').waitFor()

    // Martin Brandt finds the approval in his role's queue and approves (four-eyes: not the ISO).
    const task = await (async () => {
      for (let i = 0; i < 80; i++) {
        const t = (await e2e.stack.deps.taskStore.list('nordlicht')).find(
          (x) => typeof x.data.context.measureSetHash === 'string' && isOpen(x.data),
        )
        if (t) return t
        await new Promise((r) => setTimeout(r, 250))
      }
      throw new Error('the approval task did not open')
    })()
    const manager = await signedInAs(e2e, 'management')
    await manager.page.goto(`/tasks/${encodeURIComponent(task.id)}`)
    await manager.page.getByRole('button', { name: 'Claim this task' }).click()
    await manager.page.getByRole('heading', { level: 1, name: 'Do you approve this request?' }).waitFor()
    expect(await manager.page.getByRole('main').textContent()).toContain('§ 38 Abs. 1 BSIG')
    expect(await axeViolations(manager.page)).toEqual([])
    await manager.page.getByLabel('Approve').check()
    await manager.page.getByLabel(/^Comment/).fill('Gebilligt in der Sitzung der Geschäftsführung.')
    await manager.page.getByRole('button', { name: 'Continue' }).click()
    await manager.page.getByRole('heading', { level: 1, name: 'Check your answers before sending' }).waitFor()
    await manager.page.getByRole('button', { name: 'Submit decision' }).click()
    await manager.page.getByRole('heading', { level: 1, name: 'Task completed' }).waitFor()

    // The duties page says who approved, and that it covers the current measures.
    await manager.page.goto('/management-duties')
    const approved = manager.page.getByText('Approved by management')
    for (let i = 0; i < 40 && (await approved.count()) === 0; i++) {
      await manager.page.waitForTimeout(250)
      await manager.page.reload()
      await manager.page.getByRole('heading', { level: 1 }).first().waitFor()
    }
    await approved.waitFor()
    await manager.page.getByText('It covers the current measures.').waitFor()
    expect(await axeViolations(manager.page)).toEqual([])
    expect(iso.errors).toEqual([])
    expect(manager.errors).toEqual([])
  }, 300_000)
})
