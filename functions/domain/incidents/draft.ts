/**
 * The pre-filled draft of a report: the BSI's fields for the NIS2 reports (reporting entity,
 * sector, incident times, description, assessment, measures, cross-border) and the fields of
 * Art. 33(3) GDPR for the authority. Labels in German and English (the BSI and the German
 * authorities read German).
 */
import type { IncidentData } from './incident.js'
import type { ClockKind } from './types.js'
import { localTime } from './words.js'

const answer = (v: unknown) =>
  v === 'yes' ? 'ja / yes' : v === 'no' ? 'nein / no' : v === 'not-sure' ? 'unklar / not sure' : '—'

/** The draft text of a report of `kind` for an incident. */
export function reportDraft(
  kind: ClockKind,
  incident: Pick<
    IncidentData,
    'title' | 'description' | 'awareAt' | 'affected' | 'detectedBy' | 'triage' | 'timeZone' | 'classification'
  >,
  org: { name: string; sector?: string },
): string {
  const a = incident.triage?.answers ?? {}
  const when = localTime(incident.awareAt, incident.timeZone, 'de')
  const lines: string[] = [
    `Meldende Einrichtung / Reporting entity: ${org.name}`,
    ...(org.sector ? [`Sektor / Sector: ${org.sector}`] : []),
    `Vorfall / Incident: ${incident.title}`,
    `Kenntnis seit / Aware since: ${when}`,
  ]
  if (kind.startsWith('gdpr-')) {
    lines.push(
      'Art. 33 Abs. 3 DSGVO / Art. 33(3) GDPR:',
      `a) Art der Verletzung, Kategorien und ungefähre Zahl der Betroffenen und Datensätze / Nature, categories and approximate numbers: ${incident.description ?? ''} ${a.usersAffected !== undefined ? `(~${a.usersAffected})` : ''}`.trim(),
      'b) Name und Kontaktdaten des Datenschutzbeauftragten / Name and contact details of the DPO: ',
      `c) Wahrscheinliche Folgen / Likely consequences: ${String(a.assessment ?? '')}`,
      'd) Ergriffene oder vorgeschlagene Maßnahmen / Measures taken or proposed: ',
    )
    return lines.join('\n')
  }
  lines.push(
    `Beschreibung / Description: ${incident.description ?? ''}`,
    `Betroffene Dienste, Systeme, Standorte / Affected services, systems, sites: ${incident.affected ?? ''}`,
    `Verdacht auf rechtswidrige oder böswillige Handlung / Suspected unlawful or malicious act: ${answer(a.malicious)}`,
    `Grenzüberschreitende Auswirkungen / Cross-border impact: ${answer(a.crossBorder)}`,
  )
  if (kind !== 'nis2-early-warning' && kind !== 'dora-initial')
    lines.push(
      `Erste Bewertung, Schweregrad, Auswirkungen / First assessment, severity, impact: ${String(a.assessment ?? '')}`,
      `Betroffene Nutzer / Users affected: ${a.usersAffected ?? '—'}; Dauer / Duration: ${a.durationHours ?? '—'} h`,
      'Kompromittierungsindikatoren / Indicators of compromise: ',
      'Ergriffene Maßnahmen / Measures taken: ',
    )
  if (kind === 'nis2-final-report' || kind === 'nis2-progress-report' || kind === 'dora-final')
    lines.push('Ursache / Root cause: ', 'Abhilfemaßnahmen / Mitigation applied and ongoing: ')
  return lines.join('\n')
}
