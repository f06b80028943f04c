import { Ajv2020 } from 'ajv/dist/2020.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { type Client, startTestStack } from '../../support/stack.js'

/** What this test reads of the served document: the 200 answer's JSON schema per path and method, and the components. */
const documentShape = z.object({
  paths: z.record(
    z.string(),
    z.record(
      z.string(),
      z.object({
        responses: z.record(
          z.string(),
          z.object({ content: z.record(z.string(), z.object({ schema: z.unknown() })).optional() }),
        ),
      }),
    ),
  ),
  components: z.object({ schemas: z.record(z.string(), z.unknown()) }),
})
type Document = z.infer<typeof documentShape>

/** A list answer's first item's id. */
const firstId = z.object({ items: z.array(z.object({ id: z.string() })).min(1) })

/**
 * Real answers of the demo organisation against the answer schemas of `/api/openapi.json`,
 * which are generated from the zod contracts in `functions/domain/contracts` (the web's types).
 * A field the server sends and the contract does not name fails here (the generated
 * objects allow no other properties), as does a field the contract requires and the server leaves out.
 */
describe('API answers match their generated response schemas', () => {
  let t: Awaited<ReturnType<typeof startTestStack>>
  let iso: Client
  let member: Client
  let doc: Document
  const ajv = new Ajv2020({ strict: false, validateFormats: false, allErrors: true })

  beforeAll(async () => {
    t = await startTestStack()
    ;[iso, member] = await Promise.all([
      t.signIn('iso@demo.ismsflow.test', undefined, 'nordlicht'),
      t.signIn('member@demo.ismsflow.test'),
    ])
    doc = documentShape.parse((await iso.get('/api/openapi.json')).body)
  }, 300_000)
  afterAll(async () => t?.close())

  /** Fetches `url` as `client` and validates the answer against the documented 200 of `template`. */
  async function conforms(client: Client, url: string, template = url.split('?')[0] ?? url) {
    const res = await client.get<unknown>(url)
    expect(res.status, url).toBe(200)
    const schema = doc.paths[template]?.get?.responses['200']?.content?.['application/json']?.schema
    expect(schema, `GET ${template} documents its answer`).toBeDefined()
    const validate = ajv.compile({
      $ref: '#/$defs/answer',
      $defs: { answer: schema },
      components: doc.components,
    })
    const ok = validate(res.body)
    expect(
      ok ? [] : validate.errors?.map((e) => `${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`),
      url,
    ).toEqual([])
    return res.body
  }

  it('the inbox, for the ISO and a member, and each task of the first page with its form', async () => {
    const open = firstId.parse(await conforms(iso, '/api/tasks?view=all&limit=20'))
    await conforms(iso, '/api/tasks?view=completed&limit=50')
    await conforms(member, '/api/tasks')
    for (const { id } of open.items) await conforms(iso, `/api/tasks/${id}`, '/api/tasks/{id}')
  })

  it('the members pickers read', async () => {
    await conforms(iso, '/api/workflows/people')
    await conforms(member, '/api/risks/people')
  })

  it('the audit log', async () => {
    await conforms(iso, '/api/audit?limit=100')
  })

  it('members and invitations', async () => {
    await conforms(iso, '/api/orgs/current/members')
    await conforms(iso, '/api/orgs/current/invitations')
  })

  it('the risk register, its heat maps and settings', async () => {
    await conforms(iso, '/api/risks?closed=include')
    await conforms(member, '/api/risks')
    await conforms(iso, '/api/risks/heatmap')
    await conforms(iso, '/api/risks/settings')
  })

  it('incidents: the register and each incident of its first page', async () => {
    const page = firstId.parse(await conforms(iso, '/api/incidents'))
    for (const { id } of page.items) await conforms(iso, `/api/incidents/${id}`, '/api/incidents/{id}')
  })

  it('the review programme and its cycles', async () => {
    await conforms(iso, '/api/reviews/programme')
    await conforms(iso, '/api/reviews')
    await conforms(member, '/api/reviews/programme')
  })

  it('certification: projects, the SoA, controls with evidence, the evidence index', async () => {
    const projects = firstId.parse(await conforms(iso, '/api/certification/projects'))
    for (const { id } of projects.items) {
      const base = `/api/certification/projects/${id}`
      const soa = z
        .object({
          themes: z.array(
            z.object({ controls: z.array(z.object({ controlId: z.string(), evidenceCount: z.number() })) }),
          ),
        })
        .parse(await conforms(iso, `${base}/soa`, '/api/certification/projects/{id}/soa'))
      const controls = soa.themes.flatMap((th) => th.controls)
      const withEvidence = controls.filter((c) => c.evidenceCount > 0).slice(0, 5)
      for (const c of [...withEvidence, ...controls.slice(0, 2)])
        await conforms(iso, `${base}/soa/${c.controlId}`, '/api/certification/projects/{id}/soa/{controlId}')
      await conforms(iso, `${base}/evidence-index`, '/api/certification/projects/{id}/evidence-index')
      await conforms(member, `${base}/soa`, '/api/certification/projects/{id}/soa')
    }
  })

  it('obligation decisions and assessments under way', async () => {
    await conforms(iso, '/api/assessments')
  })
})
