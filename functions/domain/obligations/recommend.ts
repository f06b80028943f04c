import type { Nis2Category, Recommendation } from './decision.js'
import { type Reason, reason } from './text.js'

/** What the recommendations read. */
export interface RecommendInput {
  possibleCategories: Nis2Category[]
  kritisOperator: boolean
  tisaxRelevant: boolean | null
  federal: boolean
}

const covered = (c: Nis2Category) => c === 'essential' || c === 'important'

/**
 * ISO 27001 and information security officer (obligations.md §5): no certificate is legally
 * required; an ISMS aligned to ISO 27001 (or IT-Grundschutz) and an ISO are recommended for
 * covered entities, TISAX participants and suppliers of covered customers. Federal bodies
 * must appoint a security officer (§45).
 */
export function recommendations(input: RecommendInput): {
  iso27001: Recommendation
  informationSecurityOfficer: Recommendation
} {
  const iso: Reason[] = []
  const isb: Reason[] = []
  const mayBeCovered = input.possibleCategories.some(covered)
  const stateLaw = input.possibleCategories.includes('state-law')
  if (mayBeCovered) {
    iso.push(
      reason(
        'Covered by NIS2: the law asks for state-of-the-art measures, not a certificate; an ISMS aligned to ISO 27001 or IT-Grundschutz is the recognised way to show them.',
        'Von NIS2 erfasst: Das Gesetz verlangt Maßnahmen nach dem Stand der Technik, kein Zertifikat; ein ISMS nach ISO 27001 oder IT-Grundschutz ist der anerkannte Weg, sie nachzuweisen.',
        'BSIG §30(1)',
      ),
    )
    isb.push(
      reason(
        'Covered by NIS2: an information security officer coordinates the measures and reporting duties.',
        'Von NIS2 erfasst: Ein Informationssicherheitsbeauftragter koordiniert Maßnahmen und Meldepflichten.',
        'BSIG §30, §32, §38',
      ),
    )
  }
  if (stateLaw)
    iso.push(
      reason(
        'Public administration under state law: state security law usually expects an ISMS (often IT-Grundschutz).',
        'Öffentliche Verwaltung nach Landesrecht: Landesrecht erwartet in der Regel ein ISMS (oft IT-Grundschutz).',
        'state law',
      ),
    )
  if (input.kritisOperator)
    iso.push(
      reason(
        'KRITIS operator: audit evidence of the measures is due every 3 years; an ISO 27001 or IT-Grundschutz certificate can serve as proof.',
        'KRITIS-Betreiber: Nachweise der Maßnahmen sind alle 3 Jahre fällig; ein ISO-27001- oder IT-Grundschutz-Zertifikat kann als Nachweis dienen.',
        'BSIG §39',
      ),
    )
  if (input.tisaxRelevant)
    iso.push(
      reason(
        'TISAX participant: the VDA ISA is built on ISO 27001; an aligned ISMS prepares the assessment.',
        'TISAX-Teilnehmer: Der VDA ISA baut auf ISO 27001 auf; ein daran ausgerichtetes ISMS bereitet das Assessment vor.',
        'VDA ISA',
      ),
    )
  if (input.tisaxRelevant && !mayBeCovered)
    isb.push(
      reason(
        'TISAX participant: an information security officer is expected by the VDA ISA.',
        'TISAX-Teilnehmer: Der VDA ISA erwartet einen Informationssicherheitsbeauftragten.',
        'VDA ISA 1.2',
      ),
    )
  if (input.federal)
    isb.unshift(
      reason(
        'Federal administration body: an information security officer must be appointed.',
        'Einrichtung der Bundesverwaltung: Ein Informationssicherheitsbeauftragter ist zu bestellen.',
        'BSIG §45',
      ),
    )
  const recommended = iso.length > 0
  if (!recommended) {
    const r = reason(
      'Not legally required. Recommended if your customers are covered by NIS2: they must secure their supply chain and will ask for evidence.',
      'Nicht gesetzlich vorgeschrieben. Empfohlen, wenn Ihre Kunden von NIS2 erfasst sind: Sie müssen ihre Lieferkette absichern und werden Nachweise verlangen.',
      'BSIG §30(2) Nr 4',
    )
    iso.push(r)
    isb.push(r)
  }
  if (recommended && isb.length === 0)
    isb.push(
      reason(
        'An ISMS needs an owner: an information security officer runs it and reports to management.',
        'Ein ISMS braucht eine verantwortliche Person: Ein Informationssicherheitsbeauftragter betreibt es und berichtet der Geschäftsleitung.',
        'ISO/IEC 27001 5.3',
      ),
    )
  return {
    iso27001: { recommended, required: false, reasons: iso },
    informationSecurityOfficer: {
      recommended: recommended || input.federal,
      required: input.federal,
      reasons: isb,
    },
  }
}
