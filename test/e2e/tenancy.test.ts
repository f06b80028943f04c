import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type E2E, signIn, startE2E } from './support/harness.js'

describe('tenant separation in the browser', () => {
  let e2e: E2E
  beforeAll(async () => {
    e2e = await startE2E()
  })
  afterAll(async () => e2e?.close())

  it('a member of Hafenstadt sees nothing of Nordlicht, in the UI or through the API', async () => {
    const { page, context, errors } = await e2e.newPage()
    await signIn(page, 'member@hafenstadt.ismsflow.test')
    // The shell offers only the own organisation.
    await expect(page.getByRole('banner').textContent()).resolves.toContain('Hafenstadt Logistik AG')
    expect(await page.getByRole('combobox', { name: 'Organisation' }).count()).toBe(0)
    await page.goto('/organisation')
    await page.getByText('hafenstadt', { exact: true }).waitFor()
    expect(await page.content()).not.toMatch(/Nordlicht|nordlicht/)

    // A planted organisation cookie is ignored: the page still shows Hafenstadt.
    await context.addCookies([{ name: 'ismsflow_org', value: 'nordlicht', url: e2e.baseUrl }])
    await page.reload()
    await page.getByText('hafenstadt', { exact: true }).waitFor()
    expect(await page.content()).not.toMatch(/Nordlicht|nordlicht/)

    // Members get no audit log, and the page is not offered.
    await page.goto('/audit')
    await page.getByRole('heading', { name: 'Page not found' }).waitFor()

    // The API refuses every attempt to name Nordlicht, with the browser's own session.
    const statuses = await page.evaluate(async () => {
      const session = await (await fetch('/api/session')).json()
      const csrf = session.csrfToken as string
      const headers = { 'x-org-id': 'nordlicht' }
      return {
        org: (await fetch('/api/orgs/current', { headers })).status,
        audit: (await fetch('/api/audit', { headers })).status,
        switch: (
          await fetch('/api/session/org', {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'x-csrf-token': csrf },
            body: JSON.stringify({ orgId: 'nordlicht' }),
          })
        ).status,
        stillHafenstadt: (await (await fetch('/api/orgs/current')).json()).organisation.id,
      }
    })
    expect(statuses).toEqual({ org: 403, audit: 403, switch: 403, stillHafenstadt: 'hafenstadt' })
    expect(errors.filter((e) => !/status of 403/.test(e))).toEqual([])
  })

  it('a signed-out browser gets the sign-in page on any path and 401 from the API', async () => {
    const { page } = await e2e.newPage()
    await page.goto('/risks')
    await page.getByRole('heading', { name: 'Sign in to ismsflow' }).waitFor()
    const status = await page.evaluate(
      async () => (await fetch('/api/orgs/current', { headers: { 'x-org-id': 'nordlicht' } })).status,
    )
    expect(status).toBe(401)
  })
})
