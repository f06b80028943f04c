import { describe, expect, it } from 'vitest'
import {
  ACTIVITY_FACTS,
  ACTIVITY_IDS,
  FACILITY_TYPE_FACTS,
  parseCatalogue,
} from '../../../functions/domain/obligations/index.js'
import facilitiesJson from '../../../workflows/catalogues/kritis-facilities.json' with { type: 'json' }
import activitiesJson from '../../../workflows/catalogues/nis2-activities.json' with { type: 'json' }
import { catalogue } from './helpers.js'

/** The ids as obligations.md lists them, in its order. */
const DOC_IDS =
  `energy.electricity.supplier energy.electricity.dso energy.electricity.tso energy.electricity.producer
energy.electricity.nemo energy.electricity.market-participant energy.electricity.charging-point-operator
energy.district-heating energy.oil.pipeline energy.oil.production energy.oil.central-stockholding energy.gas.supplier
energy.gas.dso energy.gas.tso energy.gas.storage energy.gas.lng energy.gas.undertaking energy.hydrogen
transport.air.carrier transport.air.airport transport.air.traffic-control transport.rail.infrastructure
transport.rail.undertaking transport.water.shipping transport.water.port transport.water.vts transport.road.authority
transport.road.its finance.credit-institution finance.trading-venue finance.ccp health.provider health.reference-lab
health.pharma-rnd health.pharma-manufacturing health.critical-medical-devices water.drinking water.waste digital.ixp
digital.dns digital.tld digital.cloud digital.datacenter digital.cdn digital.trust.qualified digital.trust.non-qualified
digital.telecom ict.msp ict.mssp space.ground postal.courier waste.management chemicals.reach chemicals.distribution
food.wholesale food.production manufacturing.medical-devices manufacturing.computer-electronics manufacturing.electrical
manufacturing.machinery manufacturing.vehicles manufacturing.other-transport digital-provider.marketplace
digital-provider.search-engine digital-provider.social-network research.organisation`.split(/\s+/)

describe('obligation catalogue', () => {
  it('holds every activity id of obligations.md, once, and no other', () => {
    expect(ACTIVITY_IDS).toEqual(DOC_IDS)
    expect(catalogue.activities.map((a) => a.id)).toEqual(DOC_IDS)
  })

  it('agrees with the built-in rule facts (annex, sector, flags) and thresholds', () => {
    for (const fact of ACTIVITY_FACTS) {
      const entry = catalogue.activities.find((a) => a.id === fact.id)!
      expect({ id: entry.id, annex: entry.annex, sector: entry.sector.id, flags: entry.flags }).toEqual({
        id: fact.id,
        annex: fact.annex,
        sector: fact.sector,
        flags: fact.flags,
      })
    }
    for (const fact of FACILITY_TYPE_FACTS) {
      const entry = catalogue.facilityTypes.find((f) => f.id === fact.id)!
      expect({ threshold: entry.threshold, unit: entry.unit, title: entry.title }).toEqual({
        threshold: fact.threshold,
        unit: fact.unit,
        title: fact.title,
      })
    }
  })

  it('places activities in the annexes of obligations.md', () => {
    const annexII = catalogue.activities.filter((a) => a.annex === 'II').map((a) => a.id)
    expect(annexII).toEqual(DOC_IDS.slice(DOC_IDS.indexOf('postal.courier')))
  })

  it('has the thresholds of obligations.md §2', () => {
    const t = Object.fromEntries(catalogue.facilityTypes.map((f) => [f.id, f.threshold]))
    expect(t).toEqual({
      'power-generation': 104,
      'drinking-water': 22_000_000,
      food: 434_500,
      beverages: 350_000_000,
      'dns-tld': 250_000,
      ixp: 100,
      'server-farm-physical': 10_000,
      'server-farm-virtual': 15_000,
      laboratory: 1_500_000,
      'prescription-medicines': 4_650_000,
      hospital: 30_000,
      datacenter: 3.5,
      'people-supplied': 500_000,
    })
  })

  it('has texts in English and German for every activity', () => {
    for (const a of catalogue.activities)
      for (const field of [a.title, a.description, a.examples, a.sector.title]) {
        expect(field.en.length).toBeGreaterThan(2)
        expect(field.de.length).toBeGreaterThan(2)
      }
  })

  it('rejects a broken catalogue naming the file and path', () => {
    const broken = structuredClone(activitiesJson) as { activities: { annex: string }[] }
    broken.activities[3]!.annex = 'III'
    expect(() => parseCatalogue(broken, facilitiesJson)).toThrow(
      /nis2-activities\.json: activities\.3\.annex/,
    )
    const short = { ...activitiesJson, activities: activitiesJson.activities.slice(1) }
    expect(() => parseCatalogue(short, facilitiesJson)).toThrow(/energy\.electricity\.supplier is missing/)
    const dupFacility = {
      ...facilitiesJson,
      facilityTypes: [...facilitiesJson.facilityTypes, facilitiesJson.facilityTypes[0]],
    }
    expect(() => parseCatalogue(activitiesJson, dupFacility)).toThrow(/power-generation appears twice/)
  })
})
