import { createHash } from 'node:crypto'
import { HeadObjectCommand } from '@aws-sdk/client-s3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addDays, toIsoDate } from '../../../functions/domain/risk/calendar.js'
import { certificationTemplate } from '../../../functions/store/certification.js'
import {
  DOWNLOAD_SECONDS,
  MAX_EVIDENCE_FILE_BYTES,
  UPLOAD_SECONDS,
} from '../../../functions/store/evidence-files.js'
import { apiHarness, type SignedIn, scanAll } from '../api/support.js'

type Harness = Awaited<ReturnType<typeof apiHarness>>

/** Items that matter for "nothing written": everything but sessions, sign-in throttles and the audit log. */
const dataItems = async (h: Harness) =>
  (await scanAll(h)).filter(
    (i) =>
      !String(i.pk).startsWith('SESSION#') &&
      !String(i.sk).startsWith('AUDIT#') &&
      !String(i.pk).startsWith('THROTTLE'),
  )

describe('certification API (in-process, embedded store)', () => {
  let h: Harness
  let iso: SignedIn
  let member: SignedIn
  let auditor: SignedIn
  let management: SignedIn
  let hafenMember: SignedIn
  let today: string
  let projectId: string

  const as = (who: SignedIn, org = 'nordlicht') => ({
    auth: who,
    headers: { 'x-org-id': org, origin: 'http://localhost' },
  })
  const json = async (res: Response) => ({ status: res.status, body: (await res.json()) as any })
  const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex')
  /** The browser's upload: announce (API), POST to the bucket (presigned), confirm (API). */
  const upload = async (
    who: SignedIn,
    control: string,
    bytes: Uint8Array,
    name: string,
    type: string,
    fields: Record<string, unknown> = {},
    org = 'nordlicht',
  ): Promise<Response> => {
    const base = `/api/certification/projects/${projectId}/soa/${control}/evidence/uploads`
    const start = await h.request(base, {
      method: 'POST',
      body: { name, size: bytes.byteLength, contentType: type, sha256: sha256(bytes), ...fields },
      ...as(who, org),
    })
    if (start.status !== 201) return start
    const target = (await start.json()) as { fileId: string; url: string; fields: Record<string, string> }
    const posted = await postToBucket(target, bytes, name)
    if (posted.status !== 204) return posted
    return h.request(`${base}/${target.fileId}`, { method: 'POST', body: fields, ...as(who, org) })
  }
  const postToBucket = (
    target: { url: string; fields: Record<string, string> },
    bytes: Uint8Array,
    name: string,
  ) => {
    const form = new FormData()
    for (const [k, v] of Object.entries(target.fields)) form.append(k, v)
    form.append('file', new Blob([new Uint8Array(bytes)]), name)
    return fetch(target.url, { method: 'POST', body: form })
  }
  /** Follows the API's redirect to the presigned GET. */
  const download = async (who: SignedIn, fileId: string, org = 'nordlicht') => {
    const res = await h.request(`/api/certification/projects/${projectId}/files/${fileId}`, as(who, org))
    if (res.status !== 302) return res
    return fetch(res.headers.get('location')!)
  }
  const text = (s: string) => new TextEncoder().encode(s)

  beforeAll(async () => {
    h = await apiHarness()
    ;[iso, member, auditor, management, hafenMember] = await Promise.all([
      h.signIn('iso@demo.ismsflow.test'),
      h.signIn('member@demo.ismsflow.test'),
      h.signIn('auditor@demo.ismsflow.test'),
      h.signIn('management@demo.ismsflow.test'),
      h.signIn('member@hafenstadt.ismsflow.test'),
    ])
    today = toIsoDate(h.deps.now())
  })
  afterAll(async () => h.close())

  it('creates an ISO 27001 project planned back from the audit date', async () => {
    const auditDate = addDays(today, 300)
    const res = await json(
      await h.request('/api/certification/projects', {
        method: 'POST',
        body: { standard: 'iso27001', auditDate, startWorkflow: false },
        ...as(iso),
      }),
    )
    expect(res.status).toBe(201)
    projectId = res.body.project.id
    const byId = Object.fromEntries(res.body.plan.milestones.map((m: any) => [m.id, m]))
    expect(res.body.plan.milestones).toHaveLength(certificationTemplate('iso27001').milestones.length)
    expect(byId['stage-2'].due).toBe(auditDate)
    expect(byId['stage-1'].due).toBe(addDays(auditDate, -35))
    expect(byId['surveillance-1'].due).toBe(addDays(auditDate, 365))
    expect(res.body.project.stage1Threshold).toBe(75)
  })

  it('refuses an audit date in the past, naming auditDate, and writes nothing', async () => {
    const before = await dataItems(h)
    const res = await json(
      await h.request('/api/certification/projects', {
        method: 'POST',
        body: { standard: 'iso27001', auditDate: addDays(today, -1), startWorkflow: false },
        ...as(iso),
      }),
    )
    expect(res.status).toBe(400)
    expect(res.body.error.fields.auditDate).toBe('must not be in the past')
    expect(await dataItems(h)).toEqual(before)
  })

  it('refuses a template with a dependency loop, naming the loop, and writes nothing', async () => {
    const t = structuredClone(certificationTemplate('iso27001'))
    const scope = t.milestones.findIndex((m) => m.id === 'scope-context')
    t.milestones[scope].dependsOn = ['soa']
    const before = await dataItems(h)
    const res = await json(
      await h.request('/api/certification/projects', {
        method: 'POST',
        body: { standard: 'iso27001', auditDate: addDays(today, 300), template: t, startWorkflow: false },
        ...as(iso),
      }),
    )
    expect(res.status).toBe(400)
    const [field, message] = Object.entries(res.body.error.fields as Record<string, string>)[0]
    expect(field).toMatch(/^template\.milestones\.\d+\.dependsOn$/)
    expect(message).toMatch(/forms a loop: .*soa.*/)
    expect(await dataItems(h)).toEqual(before)
  })

  it('takes the TISAX level from the latest obligation decision, or asks for it', async () => {
    const res = await json(
      await h.request('/api/certification/projects', {
        method: 'POST',
        body: { standard: 'tisax', auditDate: addDays(today, 200), startWorkflow: false },
        ...as(iso, 'hafenstadt'),
      }),
    )
    expect(res.status).toBe(400)
    expect(res.body.error.fields.assessmentLevel).toMatch(/choose AL2 or AL3/)
    await h.deps.records.forOrg('hafenstadt').create(
      'obligation-decision',
      'd1',
      {
        decision: {
          tisax: { assessmentLevel: 'AL3', minimumLevel: 'AL3', objectives: [{ id: 'prototype' }] },
        },
      },
      { actor: { userId: 'test' } },
    )
    const ok = await json(
      await h.request('/api/certification/projects', {
        method: 'POST',
        body: { standard: 'tisax', auditDate: addDays(today, 200), startWorkflow: false },
        ...as(iso, 'hafenstadt'),
      }),
    )
    expect(ok.status).toBe(201)
    expect(ok.body.project).toMatchObject({
      assessmentLevel: 'AL3',
      levelSource: 'obligation-decision',
      tisaxModules: ['information-security', 'prototype-protection'],
    })
    const soa = await json(
      await h.request(`/api/certification/projects/${ok.body.project.id}/soa`, as(iso, 'hafenstadt')),
    )
    expect(soa.body.themes.map((t: any) => t.id)).toContain('8')
  })

  it('a TISAX project takes its level from the decision in force, not from a superseded one changed after it', async () => {
    const decisions = h.deps.records.forOrg('hafenstadt')
    const actor = { actor: { userId: 'test' } }
    const decision = (sequence: number, level: 'AL2' | 'AL3', objectives: string[]) => ({
      sequence,
      decidedAt: new Date(Date.UTC(2026, 0, sequence)).toISOString(),
      decision: {
        tisax: { assessmentLevel: level, minimumLevel: level, objectives: objectives.map((id) => ({ id })) },
      },
    })
    // A re-assessment: "new" (AL2, no prototypes) replaces "old" (AL3 with prototypes). As the
    // workflow records it, "old" is marked superseded after "new" is written: it changed last.
    await decisions.create('obligation-decision', 'd-old', decision(10, 'AL3', ['prototype']), actor)
    await decisions.create(
      'obligation-decision',
      'd-new',
      { ...decision(11, 'AL2', ['info-high']), previousDecisionId: 'd-old' },
      actor,
    )
    await decisions.mutate<Record<string, unknown>>(
      'obligation-decision',
      'd-old',
      (d) => ({ ...d, supersededBy: 'd-new' }),
      actor,
    )
    const created = await json(
      await h.request('/api/certification/projects', {
        method: 'POST',
        body: { standard: 'tisax', auditDate: addDays(today, 210), startWorkflow: false },
        ...as(iso, 'hafenstadt'),
      }),
    )
    expect(created.status).toBe(201)
    expect(created.body.project).toMatchObject({
      assessmentLevel: 'AL2',
      levelSource: 'obligation-decision',
      tisaxModules: ['information-security'],
    })
  })

  it('refuses to exclude a control without justification and writes nothing', async () => {
    const before = await dataItems(h)
    const res = await json(
      await h.request(`/api/certification/projects/${projectId}/soa/A.7.5`, {
        method: 'PUT',
        body: { applicable: false, status: 'not-applicable' },
        ...as(iso),
      }),
    )
    expect(res.status).toBe(400)
    expect(res.body.error.fields).toEqual({ justification: 'explain why the control is excluded' })
    expect(await dataItems(h)).toEqual(before)
  })

  it('lets the ISO decide controls and the owner add evidence; readiness moves', async () => {
    const before = await json(await h.request(`/api/certification/projects/${projectId}/readiness`, as(iso)))
    expect(before.status).toBe(200)
    for (const controlId of ['A.5.15', 'A.8.7']) {
      const res = await h.request(`/api/certification/projects/${projectId}/soa/${controlId}`, {
        method: 'PUT',
        body: {
          applicable: true,
          justification: 'Access to ERP and CAD data must follow roles.',
          inclusionReasons: ['business'],
          status: 'partial',
          ownerId: 'demo-member',
        },
        ...as(iso),
      })
      expect(res.status).toBe(200)
    }
    const excluded = await h.request(`/api/certification/projects/${projectId}/soa/A.7.5`, {
      method: 'PUT',
      body: {
        applicable: false,
        status: 'not-applicable',
        justification: 'Offices only; no data centre of our own.',
      },
      ...as(iso),
    })
    expect(excluded.status).toBe(200)

    // The owner sees exactly their controls and works on them.
    const mine = await json(await h.request(`/api/certification/projects/${projectId}/soa`, as(member)))
    expect(mine.body.scope).toBe('own')
    expect(mine.body.themes.flatMap((t: any) => t.controls.map((c: any) => c.controlId))).toEqual([
      'A.5.15',
      'A.8.7',
    ])
    expect((await h.request(`/api/certification/projects/${projectId}/soa/A.7.5`, as(member))).status).toBe(
      403,
    )
    expect(
      (
        await h.request(`/api/certification/projects/${projectId}/soa/A.5.15`, {
          method: 'PUT',
          body: { applicable: false, status: 'not-applicable', justification: 'x' },
          ...as(member),
        })
      ).status,
    ).toBe(403)

    const link = await json(
      await h.request(`/api/certification/projects/${projectId}/soa/A.5.15/evidence`, {
        method: 'POST',
        body: {
          title: 'Access control policy v2',
          date: today,
          url: 'https://dms.nordlicht.example/policies/access',
        },
        ...as(member),
      }),
    )
    expect(link.status).toBe(201)
    expect(link.body.evidence[0]).toMatchObject({ kind: 'link', fresh: true, freshnessMonths: 12 })
    const file = await json(
      await upload(member, 'A.8.7', text('EDR console export'), 'edr-report.txt', 'text/plain', {
        title: 'EDR coverage report',
      }),
    )
    expect(file.status).toBe(201)
    expect(file.body.evidence[0]).toMatchObject({
      kind: 'file',
      title: 'EDR coverage report',
      file: { name: 'edr-report.txt', size: 18 },
    })
    for (const controlId of ['A.5.15', 'A.8.7']) {
      const res = await h.request(`/api/certification/projects/${projectId}/soa/${controlId}/status`, {
        method: 'PATCH',
        body: { status: 'implemented' },
        ...as(member),
      })
      expect(res.status).toBe(200)
    }
    const got = await download(auditor, file.body.evidence[0].file.id)
    expect(got.status).toBe(200)
    expect(got.headers.get('content-disposition')).toContain('attachment')
    expect(got.headers.get('x-content-type-options')).toBe('nosniff')
    expect(await got.text()).toBe('EDR console export')

    const after = await json(
      await h.request(`/api/certification/projects/${projectId}/readiness`, as(management)),
    )
    expect(after.body.counts).toMatchObject({ applicable: 2, excluded: 1, implementedFresh: 2 })
    expect(after.body.parts.controls).toBeGreaterThan(before.body.parts.controls)
    const themes = Object.fromEntries(after.body.perTheme.map((t: any) => [t.theme, t]))
    expect(themes.organisational.implementedFresh).toBe(1)
    expect(themes.technological.implementedFresh).toBe(1)
    expect(after.body.blockers.some((b: any) => b.kind === 'control-undecided')).toBe(true)
  })

  it('stores a file in the bucket through presigned URLs and returns it byte for byte', async () => {
    const bytes = new Uint8Array(1_500_000).map((_, i) => (i * 7) % 251)
    bytes.set(text('%PDF-1.7\n'))
    const res = await json(
      await upload(iso, 'A.5.15', bytes, 'Zugriffsrichtlinie ü.pdf', 'application/pdf', {
        date: today,
        freshnessMonths: 6,
      }),
    )
    expect(res.status).toBe(201)
    const item = res.body.evidence.find((e: any) => e.kind === 'file')
    expect(item).toMatchObject({
      freshnessMonths: 6,
      file: { size: 1_500_000, contentType: 'application/pdf', sha256: sha256(bytes) },
    })
    const key = `orgs/nordlicht/evidence/${item.file.id}`
    const head = await h.clients.s3.send(new HeadObjectCommand({ Bucket: h.objects.bucket, Key: key }))
    expect(head.ContentLength).toBe(1_500_000)
    const back = await download(iso, item.file.id)
    expect(back.headers.get('content-disposition')).toContain(
      "filename*=UTF-8''Zugriffsrichtlinie%20%C3%BC.pdf",
    )
    expect(Buffer.compare(Buffer.from(await back.arrayBuffer()), Buffer.from(bytes))).toBe(0)
    const removed = await h.request(
      `/api/certification/projects/${projectId}/soa/A.5.15/evidence/${item.id}`,
      {
        method: 'DELETE',
        ...as(iso),
      },
    )
    expect(removed.status).toBe(200)
    expect(
      (await h.request(`/api/certification/projects/${projectId}/files/${item.file.id}`, as(iso))).status,
    ).toBe(404)
    const gone = await h.clients.s3
      .send(new HeadObjectCommand({ Bucket: h.objects.bucket, Key: key }))
      .catch((e) => e)
    expect(gone.name).toBe('NotFound')
  })

  it('answers 413 for a file over 25 MB, and the bucket refuses more bytes than announced', async () => {
    const before = await dataItems(h)
    const announced = await json(
      await h.request(`/api/certification/projects/${projectId}/soa/A.5.15/evidence/uploads`, {
        method: 'POST',
        body: {
          name: 'big.pdf',
          size: MAX_EVIDENCE_FILE_BYTES + 1,
          contentType: 'application/pdf',
          sha256: sha256(text('x')),
        },
        ...as(iso),
      }),
    )
    expect(announced.status).toBe(413)
    expect(announced.body.error.code).toBe('payload_too_large')
    expect(announced.body.error.message).toMatch(/25 MB/)
    expect(announced.body.error.fields.file).toBeDefined()
    // Announcing 10 bytes and sending 11: S3's policy (content-length-range) refuses it.
    const small = text('%PDF-1.7 x')
    const start = await json(
      await h.request(`/api/certification/projects/${projectId}/soa/A.5.15/evidence/uploads`, {
        method: 'POST',
        body: {
          name: 'a.pdf',
          size: small.byteLength,
          contentType: 'application/pdf',
          sha256: sha256(small),
        },
        ...as(iso),
      }),
    )
    const tooMany = await postToBucket(start.body, text('%PDF-1.7 xy'), 'a.pdf')
    expect(tooMany.status).toBe(400)
    expect(await tooMany.text()).toContain('<Code>EntityTooLarge</Code>')
    expect(await dataItems(h)).toEqual(before)
  })

  it('refuses a type that is not accepted, and a file whose bytes are not its type (removing the object)', async () => {
    const before = await dataItems(h)
    const exe = await json(
      await upload(iso, 'A.5.15', text('MZ...'), 'setup.exe', 'application/x-msdownload'),
    )
    expect(exe.status).toBe(400)
    expect(exe.body.error.fields.file).toMatch(/PDF, PNG/)
    const html = text('<html><script>alert(1)</script></html>')
    const fake = await json(await upload(iso, 'A.5.15', html, 'policy.pdf', 'application/pdf'))
    expect(fake.status).toBe(400)
    expect(fake.body.error.fields.file).toMatch(/does not match its type/)
    const png = await json(await upload(iso, 'A.5.15', new Uint8Array([0, 1, 2, 3]), 'x.png', 'image/png'))
    expect(png.status).toBe(400)
    const list = await h.clients.s3.send(
      new (await import('@aws-sdk/client-s3')).ListObjectsV2Command({
        Bucket: h.objects.bucket,
        Prefix: 'orgs/nordlicht/',
      }),
    )
    const keys = (list.Contents ?? []).map((c) => c.Key)
    expect(keys.every((k) => !k?.endsWith('.pdf'))).toBe(true)
    expect(await dataItems(h)).toEqual(before)
    // A text file with binary bytes is not text.
    const bin = await json(
      await upload(iso, 'A.5.15', new Uint8Array([0x41, 0x00, 0x42]), 'notes.txt', 'text/plain'),
    )
    expect(bin.status).toBe(400)
  })

  it('answers 404 when nothing was uploaded, and an expired upload form or download link is refused by the bucket', async () => {
    const bytes = text('%PDF-1.7 expired')
    const base = `/api/certification/projects/${projectId}/soa/A.5.15/evidence/uploads`
    // Presign as if 16 minutes ago (the SDK's clock offset): the form has expired.
    h.clients.s3.config.systemClockOffset = -(UPLOAD_SECONDS + 60) * 1000
    const start = await h.request(base, {
      method: 'POST',
      body: {
        name: 'late.pdf',
        size: bytes.byteLength,
        contentType: 'application/pdf',
        sha256: sha256(bytes),
      },
      ...as(iso),
    })
    h.clients.s3.config.systemClockOffset = 0
    const target = (await start.json()) as { fileId: string; url: string; fields: Record<string, string> }
    const late = await postToBucket(target, bytes, 'late.pdf')
    expect(late.status).toBe(403)
    expect(await late.text()).toContain('Policy expired')
    const confirm = await h.request(`${base}/${target.fileId}`, { method: 'POST', body: {}, ...as(iso) })
    expect(confirm.status).toBe(404)

    const ok = await json(await upload(iso, 'A.5.15', text('%PDF-1.7 ok'), 'ok.pdf', 'application/pdf'))
    const fileId = ok.body.evidence.find((e: any) => e.file?.name === 'ok.pdf').file.id
    h.clients.s3.config.systemClockOffset = -(DOWNLOAD_SECONDS + 60) * 1000
    const redirect = await h.request(`/api/certification/projects/${projectId}/files/${fileId}`, as(iso))
    h.clients.s3.config.systemClockOffset = 0
    expect(redirect.status).toBe(302)
    const expired = await fetch(redirect.headers.get('location')!)
    expect(expired.status).toBe(403)
    expect(await expired.text()).toContain('Request has expired')
    // Confirming twice adds the evidence once.
    const again = await h.request(`${base}/${fileId}`, { method: 'POST', body: {}, ...as(iso) })
    expect(again.status).toBe(200)
    const view = (await again.json()) as { evidence: { file?: { id: string } }[] }
    expect(view.evidence.filter((e) => e.file?.id === fileId)).toHaveLength(1)
  })

  it('answers the short-lived signed download as JSON, for pages signed in with a bearer token', async () => {
    const mine = await json(
      await upload(iso, 'A.5.15', text('%PDF-1.7 linked'), 'linked.pdf', 'application/pdf'),
    )
    const items: { file?: { id: string; name: string } }[] = mine.body.evidence
    const fileId = items.find((e) => e.file?.name === 'linked.pdf')?.file?.id
    const res = await h.request(`/api/certification/projects/${projectId}/files/${fileId}/link`, as(auditor))
    expect(res.status).toBe(200)
    expect(res.headers.get('cache-control')).toBe('private, no-store')
    const body = await res.json()
    expect(body).toEqual({ url: expect.stringMatching(/X-Amz-Signature=/), expiresInSeconds: 300 })
    // The link itself needs no cookie or token: the browser navigates to it.
    const got = await fetch(body.url)
    expect(got.status).toBe(200)
    expect(got.headers.get('content-disposition')).toContain('attachment; filename="linked.pdf"')
    expect(await got.text()).toBe('%PDF-1.7 linked')
    // Not signed in: 401, no link.
    expect((await h.request(`/api/certification/projects/${projectId}/files/${fileId}/link`)).status).toBe(
      401,
    )
  })

  it('answers 404 for another organisation’s file: confirming or downloading it', async () => {
    // Nordlicht's file asked for from Hafenstadt: the key is built from the caller's organisation.
    const mine = await json(await upload(iso, 'A.5.15', text('%PDF-1.7 mine'), 'mine.pdf', 'application/pdf'))
    const fileId = mine.body.evidence.find((e: any) => e.file?.name === 'mine.pdf').file.id
    const base = `/api/certification/projects/${projectId}/soa/A.5.15/evidence/uploads/${fileId}`
    expect((await h.request(base, { method: 'POST', body: {}, ...as(iso, 'hafenstadt') })).status).toBe(404)
    expect((await download(iso, fileId, 'hafenstadt')).status).toBe(404)
    expect((await download(hafenMember, fileId, 'hafenstadt')).status).toBe(404)
    const link = (who: SignedIn, org: string) =>
      h.request(`/api/certification/projects/${projectId}/files/${fileId}/link`, as(who, org))
    expect((await link(iso, 'hafenstadt')).status).toBe(404)
    expect((await link(hafenMember, 'hafenstadt')).status).toBe(404)
    const removed = await h.request(
      `/api/certification/projects/${projectId}/soa/A.5.15/evidence/${mine.body.evidence.find((e: any) => e.file?.id === fileId).id}`,
      { method: 'DELETE', ...as(iso) },
    )
    expect(removed.status).toBe(200)
  })

  it('refuses evidence for a control of another organisation with 404, writing nothing', async () => {
    const before = await dataItems(h)
    // The ISO serves both organisations; acting in Hafenstadt, Nordlicht's project does not exist.
    const viaIso = await h.request(`/api/certification/projects/${projectId}/soa/A.5.15/evidence`, {
      method: 'POST',
      body: { title: 'x', date: today, url: 'https://example.org/x' },
      ...as(iso, 'hafenstadt'),
    })
    expect(viaIso.status).toBe(404)
    const viaUpload = await upload(iso, 'A.5.15', text('x'), 'x.txt', 'text/plain', {}, 'hafenstadt')
    expect(viaUpload.status).toBe(404)
    const hafen = await h.request(`/api/certification/projects/${projectId}`, as(hafenMember, 'hafenstadt'))
    expect(hafen.status).toBe(404)
    expect(await dataItems(h)).toEqual(before)
  })

  it('gives the auditor the SoA, evidence and milestones read-only and nothing else', async () => {
    expect((await h.request(`/api/certification/projects/${projectId}`, as(auditor))).status).toBe(200)
    const soa = await json(await h.request(`/api/certification/projects/${projectId}/soa`, as(auditor)))
    expect(soa.body.scope).toBe('all')
    expect((await h.request(`/api/certification/projects/${projectId}/soa/A.5.15`, as(auditor))).status).toBe(
      200,
    )
    const index = await json(
      await h.request(`/api/certification/projects/${projectId}/evidence-index`, as(auditor)),
    )
    expect(index.status).toBe(200)
    // A file's row names the file and its checksum (its metadata read with the others in one batch).
    expect(index.body.rows).toContainEqual(
      expect.objectContaining({
        controlId: 'A.8.7',
        reference: 'edr-report.txt',
        sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
        fileId: expect.any(String),
      }),
    )
    const csv = await h.request(`/api/certification/projects/${projectId}/exports/soa.csv`, as(auditor))
    expect(csv.status).toBe(200)
    const bytes = new Uint8Array(await csv.arrayBuffer())
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]) // BOM, so Excel reads umlauts
    const text = new TextDecoder().decode(bytes)
    expect(text.split('\r\n')[0]).toBe(
      'Control,Theme,Short title,Applicable,Reason for inclusion,Justification,Implementation,Owner,Linked risks,Evidence items,Fresh evidence,Latest evidence',
    )
    expect(text).toContain('A.7.5,Physical')
    const xlsx = await h.request(
      `/api/certification/projects/${projectId}/exports/soa.xlsx?lang=de`,
      as(auditor),
    )
    expect(xlsx.status).toBe(200)
    expect(new Uint8Array(await xlsx.arrayBuffer()).slice(0, 2)).toEqual(new Uint8Array([0x50, 0x4b]))

    const before = await dataItems(h)
    const writes: [string, string, unknown][] = [
      [
        'PUT',
        `/soa/A.5.1`,
        {
          applicable: true,
          justification: 'Policies set the direction.',
          inclusionReasons: ['business'],
          status: 'partial',
          ownerId: 'demo-member',
        },
      ],
      ['PATCH', `/soa/A.5.15/status`, { status: 'partial' }],
      ['POST', `/soa/A.5.15/evidence`, { title: 'x', date: today, url: 'https://example.org' }],
      ['PUT', `/audit-date`, { auditDate: addDays(today, 400), version: 1 }],
      [
        'POST',
        `/nonconformities`,
        { severity: 'minor', title: 'x', source: 'internal-audit', foundOn: today },
      ],
      ['POST', `/milestones/scope-context/done`, {}],
    ]
    for (const [method, path, body] of writes) {
      const res = await h.request(`/api/certification/projects/${projectId}${path}`, {
        method,
        body,
        ...as(auditor),
      })
      expect(res.status, `${method} ${path}`).toBe(403)
    }
    expect(
      (
        await h.request('/api/certification/projects', {
          method: 'POST',
          body: { standard: 'iso27001', auditDate: addDays(today, 300) },
          ...as(auditor),
        })
      ).status,
    ).toBe(403)
    // Nothing else: no readiness, no nonconformities, no people.
    for (const path of [
      `/projects/${projectId}/readiness`,
      `/projects/${projectId}/nonconformities`,
      '/people',
    ])
      expect((await h.request(`/api/certification${path}`, as(auditor))).status, path).toBe(403)
    expect(await dataItems(h)).toEqual(before)
  })

  it('moves the audit date: open milestones follow, done ones keep their dates', async () => {
    const done = await json(
      await h.request(`/api/certification/projects/${projectId}/milestones/scope-context/done`, {
        method: 'POST',
        body: {},
        ...as(iso),
      }),
    )
    expect(done.status).toBe(200)
    const before = Object.fromEntries(done.body.plan.milestones.map((m: any) => [m.id, m]))
    const version = done.body.project.version
    const newDate = addDays(done.body.project.auditDate, 30)
    const moved = await json(
      await h.request(`/api/certification/projects/${projectId}/audit-date`, {
        method: 'PUT',
        body: { auditDate: newDate, version, reason: 'Auditor availability' },
        ...as(iso),
      }),
    )
    expect(moved.status).toBe(200)
    const after = Object.fromEntries(moved.body.plan.milestones.map((m: any) => [m.id, m]))
    expect(after['scope-context']).toMatchObject({ status: 'done', due: before['scope-context'].due })
    expect(after['stage-2'].due).toBe(newDate)
    expect(after['internal-audit'].due).toBe(addDays(before['internal-audit'].due, 30))
    expect(moved.body.project.auditDateMoves).toHaveLength(1)

    const past = await json(
      await h.request(`/api/certification/projects/${projectId}/audit-date`, {
        method: 'PUT',
        body: { auditDate: addDays(today, -3), version: moved.body.project.version },
        ...as(iso),
      }),
    )
    expect(past.status).toBe(400)
    expect(past.body.error.fields.auditDate).toBe('must not be in the past')
    const stale = await h.request(`/api/certification/projects/${projectId}/audit-date`, {
      method: 'PUT',
      body: { auditDate: addDays(newDate, 1), version },
      ...as(iso),
    })
    expect(stale.status).toBe(409)
  })

  it('records nonconformities with a known source and refuses unknown ones', async () => {
    const bad = await json(
      await h.request(`/api/certification/projects/${projectId}/nonconformities`, {
        method: 'POST',
        body: { severity: 'minor', title: 'x', source: 'coffee-break', foundOn: today },
        ...as(iso),
      }),
    )
    expect(bad.status).toBe(400)
    expect(bad.body.error.fields.source).toMatch(/milestone of the plan/)
    const ok = await json(
      await h.request(`/api/certification/projects/${projectId}/nonconformities`, {
        method: 'POST',
        body: {
          severity: 'minor',
          title: 'Visitor log incomplete',
          source: 'internal-audit',
          foundOn: today,
          controlId: 'A.7.2',
          ownerId: 'demo-member',
        },
        ...as(iso),
      }),
    )
    expect(ok.status).toBe(201)
    expect(ok.body).toMatchObject({ id: 'nc-001', status: 'open', severity: 'minor' })
    const r = await json(await h.request(`/api/certification/projects/${projectId}/readiness`, as(iso)))
    expect(r.body.counts.openMinor).toBe(1)
    expect(r.body.parts.nonconformities).toBe(90)
  })
})
