import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { axeViolations, type E2E, signIn, startE2E } from './support/harness.js'

/**
 * Evidence files in the browser go straight to the evidence bucket (the embedded S3 endpoint)
 * through a presigned POST, and come back through a presigned GET: a 20 MB PDF up and down,
 * a file over 25 MB and a wrong type refused before any byte is sent.
 */
describe('evidence files in the browser', () => {
  let e2e: E2E
  beforeAll(async () => {
    e2e = await startE2E()
  })
  afterAll(async () => e2e?.close())

  it('uploads a 20 MB PDF straight to the bucket and downloads it unchanged; too large and wrong type are named', async () => {
    const { page, errors } = await e2e.newPage()
    await signIn(page, 'iso@demo.ismsflow.test')
    const org = page.getByLabel('Organisation')
    if ((await org.count()) > 0 && !(await org.inputValue()).includes('nordlicht')) {
      await org.selectOption({ label: 'Nordlicht Maschinenbau GmbH' })
      await page.getByRole('button', { name: 'Switch' }).click()
    }
    await page.getByRole('link', { name: 'Certification', exact: true }).click()
    await page.getByRole('link', { name: 'ISO/IEC 27001 certification, Lübeck site' }).click()
    const projectPath = new URL(page.url()).pathname
    await page.goto(`${projectPath}/soa/A.6.1`)
    await page.getByRole('heading', { level: 2, name: 'Upload a file' }).waitFor()
    const file = page.getByLabel('File', { exact: true })

    // Files are made inside the page (sending 20 MB through the DevTools protocol is slow on a busy machine).
    const choose = (name: string, type: string, size: number) =>
      file.evaluate(
        (input: HTMLInputElement, f: { name: string; type: string; size: number }) => {
          const bytes = new Uint8Array(f.size).fill(0x20)
          if (f.size >= 64) bytes.set(new TextEncoder().encode('%PDF-1.7\n% screening records 2026\n'))
          for (let i = 64; i < bytes.length; i += 4096) bytes[i] = i % 251
          const dt = new DataTransfer()
          dt.items.add(new File([bytes], f.name, { type: f.type }))
          input.files = dt.files
        },
        { name, type, size },
      )

    // Over 25 MB: refused in the browser, the summary names the limit.
    await choose('huge.pdf', 'application/pdf', 25 * 1024 * 1024 + 1)
    await page.getByRole('button', { name: 'Upload the file' }).click()
    await page.getByRole('alert').getByText('The file is larger than 25 MB.', { exact: false }).waitFor()

    // A type that is not accepted.
    await choose('setup.exe', 'application/x-msdownload', 2)
    await page.getByRole('button', { name: 'Upload the file' }).click()
    await page
      .getByRole('alert')
      .getByText(/must be a PDF, PNG, JPEG, DOCX, XLSX, ZIP, TXT or CSV file/)
      .waitFor()

    // 20 MB, straight to the bucket.
    const bytes = Buffer.alloc(20 * 1024 * 1024, 0x20)
    bytes.write('%PDF-1.7\n% screening records 2026\n', 0, 'latin1')
    for (let i = 64; i < bytes.length; i += 4096) bytes[i] = i % 251
    await choose('screening-records-2026.pdf', 'application/pdf', bytes.length)
    await page.getByLabel('Title (optional)').fill('Screening records 2026')
    await page.getByRole('button', { name: 'Upload the file' }).click()
    await page.getByText('The evidence is added.').waitFor({ timeout: 60_000 })
    const link = page.getByRole('link', { name: /screening-records-2026\.pdf/ })
    await link.waitFor()
    expect(await axeViolations(page)).toEqual([])

    const [download] = await Promise.all([page.waitForEvent('download'), link.click()])
    expect(download.suggestedFilename()).toBe('screening-records-2026.pdf')
    const path = await download.path()
    const back = readFileSync(path)
    expect(back.length).toBe(bytes.length)
    expect(createHash('sha256').update(back).digest('hex')).toBe(
      createHash('sha256').update(bytes).digest('hex'),
    )
    expect(errors).toEqual([])
  })
})
