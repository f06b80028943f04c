/**
 * What the certification API answers: the SoA in the task-list pattern (controls and themes
 * with "not started / in progress / completed"), control details with evidence freshness,
 * readiness per theme with titles, and the flat rows of the exports. Shaping only; the rules
 * are the domain's (`evidenceFresh`, `implementedWithFreshEvidence`, `readiness`).
 */

import {
  evidenceExpiresOn,
  evidenceFresh,
  IMPLEMENTATION_STATUS_NAMES,
  INCLUSION_REASON_NAMES,
  implementedWithFreshEvidence,
  justificationMissing,
  type Readiness,
} from '../../../domain/certification/index.js'
import type { ControlRow, EvidenceView } from '../../../domain/contracts/certification.js'
import type { CsvColumn } from '../../../domain/export/csv.js'
import type { IsoDate } from '../../../domain/risk/calendar.js'
import type { Text } from '../../../domain/risk/text.js'
import type { CertProject, ControlCatalogue, ProjectPlan, SoaRecord } from '../../../store/certification.js'
import type { EvidenceFileMeta } from '../../../store/evidence-files.js'
import type { StoredRecord } from '../../../store/records.js'

/** Task-list status of a control or a theme (GOV.UK task list). */
export type TaskListStatus = 'not-started' | 'in-progress' | 'completed'

/**
 * A control is completed when it is excluded with a justification or implemented with fresh
 * evidence; in progress once decided; not started without an entry.
 */
export function controlStatus(entry: SoaRecord | undefined, today: IsoDate): TaskListStatus {
  if (!entry) return 'not-started'
  if (!entry.applicable) return 'completed'
  return implementedWithFreshEvidence(entry, today) ? 'completed' : 'in-progress'
}

/** A theme is completed when all its controls are, not started when none is decided. */
export function themeStatus(statuses: TaskListStatus[]): TaskListStatus {
  if (statuses.length > 0 && statuses.every((s) => s === 'completed')) return 'completed'
  if (statuses.every((s) => s === 'not-started')) return 'not-started'
  return 'in-progress'
}

/** One evidence item as shown: with freshness, expiry and the stored file's metadata. */
export function evidenceView(
  item: SoaRecord['evidence'][number],
  today: IsoDate,
  file?: EvidenceFileMeta,
): EvidenceView {
  return {
    ...item,
    kind: item.fileRef ? ('file' as const) : ('link' as const),
    fresh: evidenceFresh(item, today),
    expiresOn: evidenceExpiresOn(item),
    file: file
      ? {
          id: file.id,
          name: file.name,
          size: file.size,
          contentType: file.contentType,
          sha256: file.sha256,
          uploadedByName: file.uploadedByName ?? file.uploadedBy,
          uploadedAt: file.uploadedAt,
        }
      : undefined,
  }
}

/** One control row of the SoA task list. */
export function controlRow(
  control: ControlCatalogue['controls'][number],
  rec: StoredRecord<SoaRecord> | undefined,
  today: IsoDate,
  nameOf: (id: string | undefined) => string,
): ControlRow {
  const e = rec?.data
  return {
    controlId: control.id,
    theme: control.theme,
    title: control.title,
    status: controlStatus(e, today),
    decided: e !== undefined,
    applicable: e?.applicable ?? null,
    /** Included without a justification (decided before it was required): the ISO decides it again. */
    justificationMissing: e ? justificationMissing(e) : false,
    implementation: e?.status ?? null,
    ownerId: e?.ownerId ?? null,
    ownerName: e?.ownerId ? nameOf(e.ownerId) : null,
    evidenceCount: e?.evidence.length ?? 0,
    freshEvidence: e ? e.evidence.filter((x) => evidenceFresh(x, today)).length : 0,
    staleEvidence: e ? e.evidence.filter((x) => !evidenceFresh(x, today)).length : 0,
    version: rec?.version ?? null,
  }
}

/** The SoA grouped by theme in catalogue order, each theme with its task-list status and counts. */
export function soaByTheme(
  catalogue: ControlCatalogue,
  entries: StoredRecord<SoaRecord>[],
  today: IsoDate,
  nameOf: (id: string | undefined) => string,
  visible: (controlId: string, entry?: SoaRecord) => boolean = () => true,
) {
  const byControl = new Map(entries.map((r) => [r.data.controlId, r]))
  const themes = catalogue.themes.map((t) => {
    const controls = catalogue.controls
      .filter((c) => c.theme === t.id && visible(c.id, byControl.get(c.id)?.data))
      .map((c) => controlRow(c, byControl.get(c.id), today, nameOf))
    const statuses = controls.map((c) => c.status)
    return {
      id: t.id,
      title: t.title,
      clause: t.clause,
      status: themeStatus(statuses),
      counts: {
        controls: controls.length,
        completed: statuses.filter((s) => s === 'completed').length,
        inProgress: statuses.filter((s) => s === 'in-progress').length,
        notStarted: statuses.filter((s) => s === 'not-started').length,
      },
      controls,
    }
  })
  return themes.filter((t) => t.controls.length > 0)
}

/** Readiness per theme in catalogue order with titles (the domain orders by first use). */
export function themesWithTitles(catalogue: ControlCatalogue, r: Readiness) {
  const byId = new Map(r.perTheme.map((t) => [t.theme, t]))
  return catalogue.themes.map((t) => ({
    ...(byId.get(t.id) ?? { theme: t.id, applicable: 0, undecided: 0, implementedFresh: 0, percent: 100 }),
    title: t.title,
    clause: t.clause,
  }))
}

/** The timeline: milestones against today and the audit date. */
export function timeline(project: CertProject, plan: ProjectPlan, today: IsoDate) {
  const dates = plan.milestones.map((m) => m.start).concat(today)
  return {
    today,
    auditDate: project.auditDate,
    auditPassed: plan.auditPassed,
    from: [...dates].sort()[0],
    milestones: plan.milestones,
  }
}

/** A flat SoA row for CSV and XLSX. */
export interface SoaRow {
  controlId: string
  theme: string
  title: string
  applicable: string
  reasons: string
  justification: string
  status: string
  owner: string
  risks: string[]
  evidence: number
  freshEvidence: string
  latestEvidence: string
}

const WORDS = {
  yes: { en: 'Yes', de: 'Ja' },
  no: { en: 'No', de: 'Nein' },
  undecided: { en: 'Not decided', de: 'Nicht entschieden' },
} satisfies Record<string, Text>

/** The SoA as export rows, every catalogue control in order, texts in `lang`. */
export function soaRows(
  catalogue: ControlCatalogue,
  entries: SoaRecord[],
  today: IsoDate,
  lang: 'en' | 'de',
  nameOf: (id: string | undefined) => string,
): SoaRow[] {
  const byControl = new Map(entries.map((e) => [e.controlId, e]))
  const themeTitle = new Map(catalogue.themes.map((t) => [t.id, t.title[lang]]))
  return catalogue.controls.map((c) => {
    const e = byControl.get(c.id)
    const latest =
      e?.evidence
        .map((x) => x.date)
        .sort()
        .at(-1) ?? ''
    return {
      controlId: c.id,
      theme: themeTitle.get(c.theme) ?? c.theme,
      // The organisation's own (official) title when it gave one; else the catalogue's short title.
      title: e?.officialTitle || c.title[lang],
      applicable: e ? (e.applicable ? WORDS.yes[lang] : WORDS.no[lang]) : WORDS.undecided[lang],
      reasons: e ? e.inclusionReasons.map((r) => INCLUSION_REASON_NAMES[r][lang]).join('; ') : '',
      justification: e?.justification ?? '',
      status: e ? IMPLEMENTATION_STATUS_NAMES[e.status][lang] : '',
      owner: nameOf(e?.ownerId),
      risks: e?.riskIds ?? [],
      evidence: e?.evidence.length ?? 0,
      freshEvidence: e
        ? e.evidence.some((x) => evidenceFresh(x, today))
          ? WORDS.yes[lang]
          : WORDS.no[lang]
        : '',
      latestEvidence: latest,
    }
  })
}

const SOA_HEADERS: Record<keyof SoaRow, Text> = {
  controlId: { en: 'Control', de: 'Control' },
  theme: { en: 'Theme', de: 'Thema' },
  title: { en: 'Short title', de: 'Kurztitel' },
  applicable: { en: 'Applicable', de: 'Anwendbar' },
  reasons: { en: 'Reason for inclusion', de: 'Grund der Aufnahme' },
  justification: { en: 'Justification', de: 'Begründung' },
  status: { en: 'Implementation', de: 'Umsetzung' },
  owner: { en: 'Owner', de: 'Verantwortlich' },
  risks: { en: 'Linked risks', de: 'Verknüpfte Risiken' },
  evidence: { en: 'Evidence items', de: 'Nachweise' },
  freshEvidence: { en: 'Fresh evidence', de: 'Aktueller Nachweis' },
  latestEvidence: { en: 'Latest evidence', de: 'Neuester Nachweis' },
}

/** The SoA export's columns, headers in `lang`. */
export function soaColumns(lang: 'en' | 'de'): CsvColumn<SoaRow>[] {
  return (Object.keys(SOA_HEADERS) as (keyof SoaRow)[]).map((key) => ({
    header: SOA_HEADERS[key][lang],
    key,
  }))
}

/** One line of the evidence index for the auditor. */
export interface EvidenceIndexRow {
  controlId: string
  control: string
  evidenceId: string
  title: string
  date: IsoDate
  expiresOn: IsoDate
  fresh: string
  kind: string
  reference: string
  sha256: string
  uploadedBy: string
}

/** The evidence index rows: each evidence item of each control, in catalogue order. */
export function evidenceIndexRows(
  catalogue: ControlCatalogue,
  entries: SoaRecord[],
  files: Map<string, EvidenceFileMeta>,
  today: IsoDate,
  lang: 'en' | 'de',
): EvidenceIndexRow[] {
  const order = new Map(catalogue.controls.map((c, i) => [c.id, i]))
  const sorted = [...entries].sort((a, b) => (order.get(a.controlId) ?? 0) - (order.get(b.controlId) ?? 0))
  return sorted.flatMap((e) =>
    e.evidence.map((item) => {
      const file = item.fileRef ? files.get(item.fileRef) : undefined
      return {
        controlId: e.controlId,
        control: catalogue.title(e.controlId)?.[lang] ?? '',
        evidenceId: item.id,
        title: item.title,
        date: item.date,
        expiresOn: evidenceExpiresOn(item),
        fresh: evidenceFresh(item, today) ? WORDS.yes[lang] : WORDS.no[lang],
        kind: item.fileRef ? (lang === 'de' ? 'Datei' : 'File') : 'Link',
        reference: item.url ?? file?.name ?? item.fileRef ?? '',
        sha256: file?.sha256 ?? '',
        uploadedBy: file ? (file.uploadedByName ?? file.uploadedBy) : '',
      }
    }),
  )
}

const INDEX_HEADERS: Record<keyof EvidenceIndexRow, Text> = {
  controlId: { en: 'Control', de: 'Control' },
  control: { en: 'Control title', de: 'Control-Titel' },
  evidenceId: { en: 'Evidence id', de: 'Nachweis-Id' },
  title: { en: 'Evidence', de: 'Nachweis' },
  date: { en: 'Dated', de: 'Datum' },
  expiresOn: { en: 'Re-confirm by', de: 'Neu bestätigen bis' },
  fresh: { en: 'Fresh', de: 'Aktuell' },
  kind: { en: 'Kind', de: 'Art' },
  reference: { en: 'Link or file', de: 'Link oder Datei' },
  sha256: { en: 'SHA-256 of the file', de: 'SHA-256 der Datei' },
  uploadedBy: { en: 'Uploaded by', de: 'Hochgeladen von' },
}

/** The evidence index's columns, headers in `lang`. */
export function evidenceIndexColumns(lang: 'en' | 'de'): CsvColumn<EvidenceIndexRow>[] {
  return (Object.keys(INDEX_HEADERS) as (keyof EvidenceIndexRow)[]).map((key) => ({
    header: INDEX_HEADERS[key][lang],
    key,
  }))
}
