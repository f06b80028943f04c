import { defineMessages } from '../define.js'

/** The search box in the header and the search results page. */
export default defineMessages({
  en: {
    label: 'Search',
    placeholder: 'Risks, words, ids',
    submit: 'Search',
    title: 'Search',
    resultsFor: 'Results for “{q}”',
    intro: 'Finds records of {org} whose words begin with every word you typed; accents do not matter.',
    empty: 'Nothing found for “{q}”.',
    noQuery: 'Type a word in the search box.',
    failed: 'The search failed. Try again.',
    count: '{n} found',
    'type.risk': 'Risks',
  },
  de: {
    label: 'Suche',
    placeholder: 'Risiken, Wörter, Kennungen',
    submit: 'Suchen',
    title: 'Suche',
    resultsFor: 'Ergebnisse für „{q}“',
    intro:
      'Findet Einträge von {org}, deren Wörter mit jedem eingegebenen Wort beginnen; Akzente und Umlaute sind egal.',
    empty: 'Nichts gefunden für „{q}“.',
    noQuery: 'Geben Sie ein Wort in das Suchfeld ein.',
    failed: 'Die Suche ist fehlgeschlagen. Bitte erneut versuchen.',
    count: '{n} gefunden',
    'type.risk': 'Risiken',
  },
})
