/**
 * The rule facts of obligations.md that the evaluation needs: activity ids with their annex
 * and flags, and the KRITIS facility types with their thresholds. The catalogue in
 * `workflows/catalogues/nis2-activities.json` holds the same facts plus titles and
 * descriptions; a unit test keeps the two in agreement.
 */
import type { Text } from './text.js'

/** Annex of the directive / Anlage of the BSIG. */
export type Annex = 'I' | 'II'

/** The sectors activities belong to. */
export const SECTOR_IDS = [
  'energy',
  'transport',
  'finance',
  'health',
  'water',
  'digital',
  'ict',
  'space',
  'postal',
  'waste',
  'chemicals',
  'food',
  'manufacturing',
  'digital-provider',
  'research',
] as const
/** One of the sector ids. */
export type SectorId = (typeof SECTOR_IDS)[number]

/** KRITIS facility types (BSI-KritisV) plus the regular threshold of 500,000 people supplied. */
export const FACILITY_TYPE_IDS = [
  'power-generation',
  'drinking-water',
  'food',
  'beverages',
  'dns-tld',
  'ixp',
  'server-farm-physical',
  'server-farm-virtual',
  'laboratory',
  'prescription-medicines',
  'hospital',
  'datacenter',
  'people-supplied',
] as const
/** One of the KRITIS facility type ids. */
export type FacilityTypeId = (typeof FACILITY_TYPE_IDS)[number]

/** What the rules need to know about one activity. */
export interface ActivityFlags {
  /** Category whatever the size: qualified trust, TLD, DNS → essential; non-qualified trust → important. */
  sizeIndependent: 'essential' | 'important' | null
  /** Public telecommunications network or service (§28(1) Nr 3). */
  telecom: boolean
  /** Trust service provider, qualified or not. */
  trustService: 'qualified' | 'non-qualified' | null
  /** Extra registration data under §34 BSIG. */
  registrationExtraData: boolean
  /** Sector law that replaces BSIG duties (§28(5)). */
  sectorLaw: 'TKG' | 'EnWG' | null
  /** Listed in the directive only, not in the German Anlage. */
  euOnly: boolean
  /** KRITIS facility types whose thresholds matter for this activity ([] when none). */
  kritisFacilityTypes: FacilityTypeId[]
}

/** An activity as the rules see it. */
export interface ActivityFact {
  id: string
  annex: Annex
  sector: SectorId
  flags: ActivityFlags
}

const PEOPLE: FacilityTypeId[] = ['people-supplied']
const none: ActivityFlags = {
  sizeIndependent: null,
  telecom: false,
  trustService: null,
  registrationExtraData: false,
  sectorLaw: null,
  euOnly: false,
  kritisFacilityTypes: [],
}
const a = (id: string, annex: Annex, sector: SectorId, flags: Partial<ActivityFlags> = {}): ActivityFact => ({
  id,
  annex,
  sector,
  flags: { ...none, ...flags },
})

/** Every activity id of obligations.md with its annex and flags, in the order of the document. */
export const ACTIVITY_FACTS = [
  a('energy.electricity.supplier', 'I', 'energy', { kritisFacilityTypes: PEOPLE }),
  a('energy.electricity.dso', 'I', 'energy', { sectorLaw: 'EnWG', kritisFacilityTypes: PEOPLE }),
  a('energy.electricity.tso', 'I', 'energy', { sectorLaw: 'EnWG', kritisFacilityTypes: PEOPLE }),
  a('energy.electricity.producer', 'I', 'energy', { kritisFacilityTypes: ['power-generation'] }),
  a('energy.electricity.nemo', 'I', 'energy', { kritisFacilityTypes: PEOPLE }),
  a('energy.electricity.market-participant', 'I', 'energy', { kritisFacilityTypes: PEOPLE }),
  a('energy.electricity.charging-point-operator', 'I', 'energy', { kritisFacilityTypes: PEOPLE }),
  a('energy.district-heating', 'I', 'energy', { kritisFacilityTypes: PEOPLE }),
  a('energy.oil.pipeline', 'I', 'energy', { kritisFacilityTypes: PEOPLE }),
  a('energy.oil.production', 'I', 'energy', { kritisFacilityTypes: PEOPLE }),
  a('energy.oil.central-stockholding', 'I', 'energy', { kritisFacilityTypes: PEOPLE }),
  a('energy.gas.supplier', 'I', 'energy', { kritisFacilityTypes: PEOPLE }),
  a('energy.gas.dso', 'I', 'energy', { sectorLaw: 'EnWG', kritisFacilityTypes: PEOPLE }),
  a('energy.gas.tso', 'I', 'energy', { sectorLaw: 'EnWG', kritisFacilityTypes: PEOPLE }),
  a('energy.gas.storage', 'I', 'energy', { kritisFacilityTypes: PEOPLE }),
  a('energy.gas.lng', 'I', 'energy', { kritisFacilityTypes: PEOPLE }),
  a('energy.gas.undertaking', 'I', 'energy', { kritisFacilityTypes: PEOPLE }),
  a('energy.hydrogen', 'I', 'energy'),
  a('transport.air.carrier', 'I', 'transport', { kritisFacilityTypes: PEOPLE }),
  a('transport.air.airport', 'I', 'transport', { kritisFacilityTypes: PEOPLE }),
  a('transport.air.traffic-control', 'I', 'transport', { kritisFacilityTypes: PEOPLE }),
  a('transport.rail.infrastructure', 'I', 'transport', { kritisFacilityTypes: PEOPLE }),
  a('transport.rail.undertaking', 'I', 'transport', { kritisFacilityTypes: PEOPLE }),
  a('transport.water.shipping', 'I', 'transport', { kritisFacilityTypes: PEOPLE }),
  a('transport.water.port', 'I', 'transport', { kritisFacilityTypes: PEOPLE }),
  a('transport.water.vts', 'I', 'transport', { kritisFacilityTypes: PEOPLE }),
  a('transport.road.authority', 'I', 'transport', { kritisFacilityTypes: PEOPLE }),
  a('transport.road.its', 'I', 'transport', { kritisFacilityTypes: PEOPLE }),
  a('finance.credit-institution', 'I', 'finance', { kritisFacilityTypes: PEOPLE }),
  a('finance.trading-venue', 'I', 'finance', { kritisFacilityTypes: PEOPLE }),
  a('finance.ccp', 'I', 'finance', { kritisFacilityTypes: PEOPLE }),
  a('health.provider', 'I', 'health', { kritisFacilityTypes: ['hospital', 'laboratory'] }),
  a('health.reference-lab', 'I', 'health', { kritisFacilityTypes: ['laboratory'] }),
  a('health.pharma-rnd', 'I', 'health'),
  a('health.pharma-manufacturing', 'I', 'health', { kritisFacilityTypes: ['prescription-medicines'] }),
  a('health.critical-medical-devices', 'I', 'health', { kritisFacilityTypes: PEOPLE }),
  a('water.drinking', 'I', 'water', { kritisFacilityTypes: ['drinking-water'] }),
  a('water.waste', 'I', 'water', { kritisFacilityTypes: PEOPLE }),
  a('digital.ixp', 'I', 'digital', { kritisFacilityTypes: ['ixp'] }),
  a('digital.dns', 'I', 'digital', {
    sizeIndependent: 'essential',
    registrationExtraData: true,
    kritisFacilityTypes: ['dns-tld'],
  }),
  a('digital.tld', 'I', 'digital', {
    sizeIndependent: 'essential',
    registrationExtraData: true,
    kritisFacilityTypes: ['dns-tld'],
  }),
  a('digital.cloud', 'I', 'digital', {
    registrationExtraData: true,
    kritisFacilityTypes: ['server-farm-physical', 'server-farm-virtual'],
  }),
  a('digital.datacenter', 'I', 'digital', {
    registrationExtraData: true,
    kritisFacilityTypes: ['datacenter', 'server-farm-physical'],
  }),
  a('digital.cdn', 'I', 'digital', { registrationExtraData: true, kritisFacilityTypes: PEOPLE }),
  a('digital.trust.qualified', 'I', 'digital', {
    sizeIndependent: 'essential',
    trustService: 'qualified',
    kritisFacilityTypes: PEOPLE,
  }),
  a('digital.trust.non-qualified', 'I', 'digital', {
    sizeIndependent: 'important',
    trustService: 'non-qualified',
    kritisFacilityTypes: PEOPLE,
  }),
  a('digital.telecom', 'I', 'digital', { telecom: true, sectorLaw: 'TKG', kritisFacilityTypes: PEOPLE }),
  a('ict.msp', 'I', 'ict', { registrationExtraData: true }),
  a('ict.mssp', 'I', 'ict', { registrationExtraData: true }),
  a('space.ground', 'I', 'space'),
  a('postal.courier', 'II', 'postal'),
  a('waste.management', 'II', 'waste', { kritisFacilityTypes: PEOPLE }),
  a('chemicals.reach', 'II', 'chemicals'),
  a('chemicals.distribution', 'II', 'chemicals', { euOnly: true }),
  a('food.wholesale', 'II', 'food', { kritisFacilityTypes: ['food'] }),
  a('food.production', 'II', 'food', { kritisFacilityTypes: ['food', 'beverages'] }),
  a('manufacturing.medical-devices', 'II', 'manufacturing'),
  a('manufacturing.computer-electronics', 'II', 'manufacturing'),
  a('manufacturing.electrical', 'II', 'manufacturing'),
  a('manufacturing.machinery', 'II', 'manufacturing'),
  a('manufacturing.vehicles', 'II', 'manufacturing'),
  a('manufacturing.other-transport', 'II', 'manufacturing'),
  a('digital-provider.marketplace', 'II', 'digital-provider', { registrationExtraData: true }),
  a('digital-provider.search-engine', 'II', 'digital-provider', { registrationExtraData: true }),
  a('digital-provider.social-network', 'II', 'digital-provider', { registrationExtraData: true }),
  a('research.organisation', 'II', 'research'),
] as const satisfies readonly ActivityFact[]

/** Every activity id, as a tuple for schemas. */
export const ACTIVITY_IDS = ACTIVITY_FACTS.map((f) => f.id) as unknown as readonly [
  ActivityId,
  ...ActivityId[],
]
/** One of the stable activity ids of obligations.md. */
export type ActivityId = (typeof ACTIVITY_FACTS)[number]['id']

/** A KRITIS facility type as the rules see it: threshold and unit. */
export interface FacilityTypeFact {
  id: FacilityTypeId
  threshold: number
  unit: Text
  title: Text
}

const f = (
  id: FacilityTypeId,
  threshold: number,
  en: string,
  de: string,
  unitEn: string,
  unitDe: string,
) => ({
  id,
  threshold,
  title: { en, de },
  unit: { en: unitEn, de: unitDe },
})

/** Thresholds of obligations.md §2: at or above the threshold, the facility is critical. */
export const FACILITY_TYPE_FACTS: FacilityTypeFact[] = [
  f(
    'power-generation',
    104,
    'Power generation plant',
    'Erzeugungsanlage',
    'MW installed net rated power',
    'MW installierte Netto-Nennleistung',
  ),
  f(
    'drinking-water',
    22_000_000,
    'Drinking water supply',
    'Trinkwasserversorgung',
    'm³ of drinking water per year',
    'm³ Trinkwasser pro Jahr',
  ),
  f(
    'food',
    434_500,
    'Food production or trade',
    'Lebensmittelproduktion oder -handel',
    't of food per year',
    't Lebensmittel pro Jahr',
  ),
  f(
    'beverages',
    350_000_000,
    'Beverage production',
    'Getränkeherstellung',
    'l of beverages per year',
    'l Getränke pro Jahr',
  ),
  f('dns-tld', 250_000, 'DNS server or TLD registry', 'DNS-Server oder TLD-Registry', 'domains', 'Domains'),
  f(
    'ixp',
    100,
    'Internet exchange point',
    'Internetknoten (IXP)',
    'connected autonomous systems',
    'angeschlossene autonome Systeme',
  ),
  f(
    'server-farm-physical',
    10_000,
    'Server farm (physical)',
    'Serverfarm (physisch)',
    'running physical instances (annual average)',
    'laufende physische Instanzen (Jahresdurchschnitt)',
  ),
  f(
    'server-farm-virtual',
    15_000,
    'Server farm (virtual)',
    'Serverfarm (virtuell)',
    'running virtual instances (annual average)',
    'laufende virtuelle Instanzen (Jahresdurchschnitt)',
  ),
  f('laboratory', 1_500_000, 'Laboratory', 'Labor', 'orders per year', 'Aufträge pro Jahr'),
  f(
    'prescription-medicines',
    4_650_000,
    'Prescription medicines',
    'Verschreibungspflichtige Arzneimittel',
    'packs per year',
    'Packungen pro Jahr',
  ),
  f(
    'hospital',
    30_000,
    'Hospital',
    'Krankenhaus',
    'inpatient cases per year',
    'vollstationäre Fälle pro Jahr',
  ),
  f(
    'datacenter',
    3.5,
    'Data centre (housing)',
    'Rechenzentrum (Housing)',
    'MW contracted power',
    'MW vertraglich vereinbarte Leistung',
  ),
  f(
    'people-supplied',
    500_000,
    'Other facility (regular threshold)',
    'Sonstige Anlage (Regelschwellenwert)',
    'people supplied',
    'versorgte Personen',
  ),
]
