import { defineMessages } from '../define.js'

/** The audit log page. */
export default defineMessages({
  en: {
    title: 'Audit log',
    intro: 'Who did what and when in {org}, newest first. Entries cannot be changed or deleted.',
    when: 'When',
    who: 'Who',
    action: 'Action',
    record: 'Record',
    empty: 'No entries yet.',
    more: 'Show older entries',
    caption: 'Audit log of {org}',
  },
  de: {
    title: 'Protokoll',
    intro:
      'Wer hat wann was in {org} getan, neueste zuerst. Einträge können nicht geändert oder gelöscht werden.',
    when: 'Zeitpunkt',
    who: 'Person',
    action: 'Aktion',
    record: 'Datensatz',
    empty: 'Noch keine Einträge.',
    more: 'Ältere Einträge anzeigen',
    caption: 'Protokoll von {org}',
  },
})
