import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { QUICK_CHECK_LIMIT } from '../../../functions/api/routes/obligations.js'
import { type Catalogues, evaluateForm, type FormDefinition } from '../../../functions/domain/forms/index.js'
import { answersToProfile, type ObligationDecision } from '../../../functions/domain/obligations/index.js'
import { apiHarness, scanAll } from './support.js'

/** The Node server's env shape, so each test gets its own client IP (and rate-limit bucket). */
const from = (ip: string) => ({ incoming: { socket: { remoteAddress: ip } } })

describe('POST /api/obligations/evaluate (public quick check)', () => {
  let h: Awaited<ReturnType<typeof apiHarness>>
  beforeAll(async () => {
    h = await apiHarness()
  })
  afterAll(async () => h.close())

  const evaluate = (body: unknown, ip = '203.0.113.1', headers?: Record<string, string>) =>
    h.request('/api/obligations/evaluate', { method: 'POST', body, headers }, from(ip))
  const error = async (res: Response) =>
    ((await res.json()) as { error: { code: string; fields?: Record<string, string> } }).error

  it('answers the decision without sign-in and stores nothing', async () => {
    const before = await scanAll(h)
    const res = await evaluate({
      activities: ['manufacturing.vehicles'],
      employees: 80,
      annualTurnoverEur: 15e6,
      balanceSheetEur: 12e6,
      personalData: { personsProcessing: 25 },
      automotive: { confidentiality: 'strictly-confidential' },
    })
    expect(res.status).toBe(200)
    expect(res.headers.get('cache-control')).toBe('no-store')
    const d = (await res.json()) as ObligationDecision
    expect(d.nis2).toMatchObject({ category: 'important', de: 'wichtige Einrichtung' })
    expect(d.nis2.reasons[0]!.text.en).toContain('Manufacture of motor vehicles, trailers and parts')
    expect(d.dpo.required).toBe(true)
    expect(d.tisax).toMatchObject({ relevant: true, assessmentLevel: 'AL3' })
    expect(d.duties.map((x) => x.id)).toContain('bsi-registration')
    expect(await scanAll(h)).toEqual(before)
  })

  it('answers 400 naming unknown fields', async () => {
    const res = await evaluate({ activities: [], staff: 12, personalData: { persons: 3 } }, '203.0.113.2')
    expect(res.status).toBe(400)
    expect((await error(res)).fields).toEqual({
      staff: 'is not a known field',
      'personalData.persons': 'is not a known field',
    })
  })

  it('answers 400 naming each invalid field', async () => {
    const res = await evaluate(
      {
        activities: ['digital.root-server'],
        employees: -5,
        partnerEnterprises: [{ sharePercent: 60 }],
        criticalFacilities: [{ type: 'castle', value: 1 }],
      },
      '203.0.113.3',
    )
    expect(res.status).toBe(400)
    const e = await error(res)
    expect(e.code).toBe('validation_failed')
    expect(Object.keys(e.fields ?? {}).sort()).toEqual([
      'activities.0',
      'criticalFacilities.0.type',
      'employees',
      'partnerEnterprises.0.sharePercent',
    ])
    expect(e.fields!['partnerEnterprises.0.sharePercent']).toContain('linked enterprise')
  })

  it('answers 400 for a missing activities field, malformed JSON and a non-object', async () => {
    expect((await error(await evaluate({ employees: 3 }, '203.0.113.4'))).fields).toEqual({
      activities: expect.any(String),
    })
    const bad = await evaluate('{"activities": [', '203.0.113.4')
    expect(bad.status).toBe(400)
    expect((await error(bad)).fields).toEqual({ '(body)': 'is not valid JSON' })
    expect((await evaluate([], '203.0.113.4')).status).toBe(400)
  })

  it('answers 415 without a JSON content type; a form-like cross-site post is refused (403)', async () => {
    const xml = await evaluate('{"activities": []}', '203.0.113.5', { 'content-type': 'application/xml' })
    expect(xml.status).toBe(415)
    const form = await evaluate('{"activities": []}', '203.0.113.5', {
      'content-type': 'text/plain',
      origin: 'https://evil.example',
    })
    expect(form.status).toBe(403)
  })

  it('rate-limits per IP: a full bucket, then 429 with Retry-After; other IPs unaffected; refills over time', async () => {
    const ip = '198.51.100.7'
    for (let i = 0; i < QUICK_CHECK_LIMIT.capacity; i++)
      expect((await evaluate({ activities: [] }, ip)).status).toBe(200)
    const limited = await evaluate({ activities: [] }, ip)
    expect(limited.status).toBe(429)
    expect((await error(limited)).code).toBe('rate_limited')
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1)
    // Even an invalid body counts and is refused before parsing.
    expect((await evaluate({ junk: true }, ip)).status).toBe(429)
    expect((await evaluate({ activities: [] }, '198.51.100.8')).status).toBe(200)
    h.advance(2_100)
    expect((await evaluate({ activities: [] }, ip)).status).toBe(200)
    expect((await evaluate({ activities: [] }, ip)).status).toBe(429)
  })

  it('GET /api/obligations/catalogue answers the activities and facility types', async () => {
    const res = await h.request('/api/obligations/catalogue')
    expect(res.status).toBe(200)
    const cat = (await res.json()) as { activities: { id: string }[]; facilityTypes: { id: string }[] }
    expect(cat.activities).toHaveLength(66)
    expect(cat.facilityTypes.map((f) => f.id)).toContain('hospital')
  })

  it('GET /api/obligations/questionnaire answers the form and its catalogues; filled in, it maps to a profile the API accepts', async () => {
    const res = await h.request('/api/obligations/questionnaire')
    expect(res.status).toBe(200)
    const { definition, catalogues } = (await res.json()) as {
      definition: FormDefinition
      catalogues: Catalogues
    }
    expect(definition.id).toBe('obligation-questionnaire')
    const form = await evaluateForm(
      definition,
      {
        sectors: ['digital'],
        actDigital: ['digital.tld'],
        hasNegligible: 'no',
        employees: 12,
        annualTurnover: 1_500_000,
        balanceSheet: 1_000_000,
        linkedExists: 'no',
        partnerExists: 'no',
        publicAdministration: 'no',
        kritisKnown: 'no',
        facDnsTld: 90_000,
        personsProcessing: 8,
        otherPublicBody: 'no',
        monitoring: 'no',
        specialCategories: 'no',
        dpia: 'no',
        commercialTransfer: 'no',
        automotiveBusiness: 'no',
      },
      { catalogues },
    )
    expect(form.errors).toEqual({})
    const decided = await evaluate(answersToProfile(form.cleanedAnswers), '203.0.113.9')
    expect(decided.status).toBe(200)
    const d = (await decided.json()) as ObligationDecision
    expect(d.nis2).toMatchObject({ category: 'essential', decidedBy: 'size-independent' })
    expect(d.kritis.belowThreshold).toMatchObject([{ type: 'dns-tld', value: 90_000 }])
    expect(d.dpo.required).toBe(false)
  })
})
