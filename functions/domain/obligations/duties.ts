import type { RulesCatalogue } from './catalogue.js'
import type { Duty, Fines, Nis2Category, Nis2Decision } from './decision.js'
import { eur, type Text } from './text.js'

const t = (en: string, de: string): Text => ({ en, de })

/** The ten risk-management measures of §30(2) BSIG / Art. 21(2) NIS2. */
export const TEN_MEASURES: { id: string; text: Text; ref: string }[] = [
  {
    id: 'risk-analysis',
    text: t(
      'Risk analysis and information security policies',
      'Konzepte für Risikoanalyse und Sicherheit der Informationstechnik',
    ),
    ref: 'BSIG §30(2) Nr 1; NIS2 Art. 21(2)(a)',
  },
  {
    id: 'incident-handling',
    text: t('Incident handling', 'Bewältigung von Sicherheitsvorfällen'),
    ref: 'BSIG §30(2) Nr 2; NIS2 Art. 21(2)(b)',
  },
  {
    id: 'business-continuity',
    text: t(
      'Business continuity: backup management, disaster recovery and crisis management',
      'Aufrechterhaltung des Betriebs: Backup-Management, Wiederherstellung nach einem Notfall und Krisenmanagement',
    ),
    ref: 'BSIG §30(2) Nr 3; NIS2 Art. 21(2)(c)',
  },
  {
    id: 'supply-chain',
    text: t(
      'Supply-chain security, including relations with direct suppliers and service providers',
      'Sicherheit der Lieferkette einschließlich der Beziehungen zu unmittelbaren Anbietern und Diensteanbietern',
    ),
    ref: 'BSIG §30(2) Nr 4; NIS2 Art. 21(2)(d)',
  },
  {
    id: 'secure-development',
    text: t(
      'Security in acquisition, development and maintenance, including vulnerability handling and disclosure',
      'Sicherheit bei Erwerb, Entwicklung und Wartung einschließlich Management und Offenlegung von Schwachstellen',
    ),
    ref: 'BSIG §30(2) Nr 5; NIS2 Art. 21(2)(e)',
  },
  {
    id: 'effectiveness',
    text: t(
      'Policies and procedures to assess the effectiveness of the measures',
      'Konzepte und Verfahren zur Bewertung der Wirksamkeit der Maßnahmen',
    ),
    ref: 'BSIG §30(2) Nr 6; NIS2 Art. 21(2)(f)',
  },
  {
    id: 'cyber-hygiene',
    text: t(
      'Basic cyber hygiene practices and security training',
      'Grundlegende Verfahren der Cyberhygiene und Schulungen zur Informationssicherheit',
    ),
    ref: 'BSIG §30(2) Nr 7; NIS2 Art. 21(2)(g)',
  },
  {
    id: 'cryptography',
    text: t(
      'Policies and procedures for cryptography and, where appropriate, encryption',
      'Konzepte und Verfahren für Kryptografie und gegebenenfalls Verschlüsselung',
    ),
    ref: 'BSIG §30(2) Nr 8; NIS2 Art. 21(2)(h)',
  },
  {
    id: 'personnel-access-assets',
    text: t(
      'Personnel security, access control and asset management',
      'Sicherheit des Personals, Zugriffskontrolle und Management von Anlagen',
    ),
    ref: 'BSIG §30(2) Nr 9; NIS2 Art. 21(2)(i)',
  },
  {
    id: 'mfa-secure-communication',
    text: t(
      'Multi-factor authentication and secured voice, video, text and emergency communication',
      'Multi-Faktor-Authentifizierung sowie gesicherte Sprach-, Video-, Text- und Notfallkommunikation',
    ),
    ref: 'BSIG §30(2) Nr 10; NIS2 Art. 21(2)(j)',
  },
]

/** Inputs of the duties: the German NIS2 result and the facts that modify duties. */
export interface DutiesInput {
  nis2: Pick<Nis2Decision, 'category' | 'possibleCategories'>
  kritisOperator: boolean
  activities: readonly string[]
  rules: RulesCatalogue
  dora: boolean
  federal: boolean
}

const covered = (c: Nis2Category) => c === 'essential' || c === 'important'

/** Carve-outs of §28(5)/(6) BSIG that change duties (not the category). */
export function carveOuts(
  input: Pick<DutiesInput, 'activities' | 'rules' | 'dora'>,
): Nis2Decision['carveOuts'] {
  const out: Nis2Decision['carveOuts'] = []
  const acts = input.rules.activities.filter((a) => input.activities.includes(a.id))
  if (input.dora)
    out.push({
      id: 'dora',
      text: t(
        'DORA financial entity: risk management, incident reporting and management duties follow DORA instead of the BSIG; registration with the BSI still applies.',
        'Finanzunternehmen nach DORA: Risikomanagement, Meldepflichten und Leitungspflichten richten sich nach DORA statt nach dem BSIG; die Registrierung beim BSI bleibt.',
      ),
      ref: 'BSIG §28(6); Regulation (EU) 2022/2554 (DORA)',
    })
  const partial = (law: 'TKG' | 'EnWG') => acts.some((a) => a.flags.sectorLaw !== law)
  if (acts.some((a) => a.flags.sectorLaw === 'TKG'))
    out.push({
      id: 'tkg',
      text: t(
        `Public telecommunications: security measures and incident reporting follow the TKG${partial('TKG') ? ' for the telecom activity only' : ''}; registration with the BSI still applies.`,
        `Öffentliche Telekommunikation: Sicherheitsanforderungen und Meldepflichten richten sich nach dem TKG${partial('TKG') ? ' (nur für die Telekommunikationstätigkeit)' : ''}; die Registrierung beim BSI bleibt.`,
      ),
      ref: 'BSIG §28(5); TKG §165, §168',
    })
  if (acts.some((a) => a.flags.sectorLaw === 'EnWG'))
    out.push({
      id: 'enwg',
      text: t(
        `Energy grid operator: security measures and incident reporting follow the EnWG${partial('EnWG') ? ' for the grid activity only' : ''}; registration with the BSI still applies.`,
        `Energienetzbetreiber: Sicherheitsanforderungen und Meldepflichten richten sich nach dem EnWG${partial('EnWG') ? ' (nur für den Netzbetrieb)' : ''}; die Registrierung beim BSI bleibt.`,
      ),
      ref: 'BSIG §28(5); EnWG §5c',
    })
  return out
}

/**
 * The duties that follow from the German result (obligations.md §1 "Duties once covered"),
 * with deadlines and the carve-outs that move duties to DORA, TKG or EnWG.
 */
export function duties(input: DutiesInput): Duty[] {
  const possible = input.nis2.possibleCategories.some(covered)
  if (!possible) return []
  const provisional = input.nis2.category === 'undetermined'
  const acts = input.rules.activities.filter((a) => input.activities.includes(a.id))
  const law = (() => {
    if (input.dora)
      return {
        text: t('DORA sets this duty instead.', 'DORA regelt diese Pflicht.'),
        ref: 'BSIG §28(6); Regulation (EU) 2022/2554 (DORA)',
      }
    if (acts.length && acts.every((a) => a.flags.sectorLaw === 'TKG'))
      return {
        text: t('The TKG sets this duty instead.', 'Das TKG regelt diese Pflicht.'),
        ref: 'BSIG §28(5); TKG §165, §168',
      }
    if (acts.length && acts.every((a) => a.flags.sectorLaw === 'EnWG'))
      return {
        text: t('The EnWG sets this duty instead.', 'Das EnWG regelt diese Pflicht.'),
        ref: 'BSIG §28(5); EnWG §5c',
      }
    return undefined
  })()
  const replaced = (d: Duty): Duty => (law ? { ...d, replacedBy: law } : d)

  const out: Duty[] = [
    {
      id: 'bsi-registration',
      title: t('Register with the BSI within 3 months', 'Beim BSI innerhalb von 3 Monaten registrieren'),
      detail: t(
        'Register via the BSI portal within three months of first being covered: name, address and contact data, sector and activity, public IP ranges, the EU member states served.',
        'Registrierung über das BSI-Portal innerhalb von drei Monaten ab erstmaliger Erfassung: Name, Anschrift und Kontaktdaten, Sektor und Tätigkeit, öffentliche IP-Adressbereiche, die versorgten EU-Mitgliedstaaten.',
      ),
      ref: 'BSIG §33',
      dueWithin: { months: 3 },
      provisional,
    },
  ]
  const extra = acts.filter((a) => a.flags.registrationExtraData)
  if (extra.length)
    out.push({
      id: 'registration-extra-data',
      title: t(
        'Give the extra registration data for digital services',
        'Zusätzliche Registrierungsangaben für digitale Dienste machen',
      ),
      detail: t(
        `For ${extra.map((a) => a.title?.en ?? a.id).join(', ')}: also the main establishment and representatives in the EU, and keep the data current.`,
        `Für ${extra.map((a) => a.title?.de ?? a.id).join(', ')}: zusätzlich Hauptniederlassung und Vertreter in der EU; Angaben aktuell halten.`,
      ),
      ref: 'BSIG §34',
      dueWithin: { months: 3 },
      provisional,
    })
  out.push(
    replaced({
      id: 'risk-measures',
      title: t('Take the ten risk-management measures', 'Die zehn Risikomanagementmaßnahmen umsetzen'),
      detail: t(
        'Appropriate, proportionate and state-of-the-art technical and organisational measures covering at least these ten areas.',
        'Geeignete, verhältnismäßige und wirksame technische und organisatorische Maßnahmen nach dem Stand der Technik, mindestens in diesen zehn Bereichen.',
      ),
      ref: 'BSIG §30(1)-(2); NIS2 Art. 21',
      items: TEN_MEASURES,
      provisional,
    }),
    replaced({
      id: 'incident-reporting',
      title: t(
        'Report significant incidents: 24 h, 72 h, 1 month',
        'Erhebliche Sicherheitsvorfälle melden: 24 h, 72 h, 1 Monat',
      ),
      detail: t(
        'Report every significant security incident to the BSI in stages, from the moment the company becomes aware of it.',
        'Jeden erheblichen Sicherheitsvorfall gestuft an das BSI melden, ab Kenntnis des Vorfalls.',
      ),
      ref: 'BSIG §32; NIS2 Art. 23',
      items: [
        {
          id: 'early-warning',
          text: t(
            'Early warning within 24 hours of becoming aware',
            'Frühe Erstmeldung innerhalb von 24 Stunden nach Kenntnis',
          ),
          ref: 'BSIG §32(1) Nr 1',
          within: { hours: 24 },
        },
        {
          id: 'notification',
          text: t(
            'Incident notification within 72 hours of becoming aware',
            'Meldung innerhalb von 72 Stunden nach Kenntnis',
          ),
          ref: 'BSIG §32(1) Nr 2',
          within: { hours: 72 },
        },
        {
          id: 'final-report',
          text: t(
            'Final report one month after the notification; a progress report instead if the incident is still ongoing',
            'Abschlussmeldung einen Monat nach der Meldung; bei andauerndem Vorfall stattdessen eine Fortschrittsmeldung',
          ),
          ref: 'BSIG §32(1) Nr 4, §32(3)',
          within: { months: 1 },
        },
      ],
      provisional,
    }),
    {
      ...(input.dora && law ? { replacedBy: law } : {}),
      id: 'management-duties',
      title: t(
        'Management implements, supervises and is trained',
        'Geschäftsleitung setzt um, überwacht und wird geschult',
      ),
      detail: t(
        'Management must approve and supervise the implementation of the measures, attend training regularly, and is liable for culpable breaches.',
        'Die Geschäftsleitung muss die Umsetzung der Maßnahmen billigen und überwachen, regelmäßig an Schulungen teilnehmen und haftet für schuldhafte Pflichtverletzungen.',
      ),
      ref: 'BSIG §38; NIS2 Art. 20',
      provisional,
    },
  )
  if (input.kritisOperator)
    out.push(
      replaced({
        id: 'attack-detection',
        title: t('Operate attack detection systems', 'Systeme zur Angriffserkennung einsetzen'),
        detail: t(
          'As operator of a critical facility, detect attacks continuously and automatically and respond to them.',
          'Als Betreiber einer kritischen Anlage Angriffe fortlaufend und automatisch erkennen und darauf reagieren.',
        ),
        ref: 'BSIG §31(2)',
        provisional: false,
      }),
      replaced({
        id: 'kritis-audit',
        title: t('Prove the measures every 3 years', 'Nachweis der Maßnahmen alle 3 Jahre'),
        detail: t(
          'Give the BSI proof of the measures by audits, tests or certification every three years.',
          'Dem BSI alle drei Jahre die Maßnahmen durch Audits, Prüfungen oder Zertifizierungen nachweisen.',
        ),
        ref: 'BSIG §39',
        provisional: false,
      }),
    )
  return out
}

/** Fine ranges of §65 BSIG; `null` when not covered (or undetermined) and for federal bodies. */
export function fines(
  category: Nis2Category | 'undetermined',
  federal: boolean,
  groupTurnoverEur: number | null,
): Fines | null {
  if (federal || (category !== 'essential' && category !== 'important')) return null
  const [maxEur, percent] = category === 'essential' ? [10_000_000, 2] : [7_000_000, 1.4]
  const capEur =
    groupTurnoverEur === null ? null : Math.max(maxEur, Math.round((groupTurnoverEur * percent) / 100))
  const m = eur(maxEur)
  const p = { en: `${percent}`, de: `${percent}`.replace('.', ',') }
  return {
    maxEur,
    percentOfTurnover: percent,
    capEur,
    registrationMaxEur: 500_000,
    text: {
      en: `Up to ${m.en} or ${p.en} % of the worldwide annual group turnover, whichever is higher${capEur === null ? '' : ` (here ${eur(capEur).en})`}; failing to register up to €500,000.`,
      de: `Bis zu ${m.de} oder ${p.de} % des weltweiten Jahresumsatzes der Unternehmensgruppe, je nachdem, welcher Betrag höher ist${capEur === null ? '' : ` (hier ${eur(capEur).de})`}; fehlende Registrierung bis zu 500.000 €.`,
    },
    ref: 'BSIG §65; NIS2 Art. 34',
  }
}
