import { defineMessages } from '../define.js'

/** Words used everywhere: roles, loading, errors. */
export default defineMessages({
  en: {
    appName: 'ismsflow',
    loading: 'Loading…',
    retry: 'Try again',
    'error.title': 'There is a problem',
    'error.network': 'The server cannot be reached. Check your connection and try again.',
    'error.generic': 'Something went wrong on our side. Try again later.',
    'error.forbidden': 'You do not have access to this.',
    'role.iso': 'Information security officer',
    'role.management': 'Management',
    'role.member': 'Member',
    'role.auditor': 'Auditor',
    'notFound.title': 'Page not found',
    'notFound.body': 'There is no page at this address.',
    'notFound.home': 'Go to your inbox',
  },
  de: {
    appName: 'ismsflow',
    loading: 'Wird geladen…',
    retry: 'Erneut versuchen',
    'error.title': 'Es gibt ein Problem',
    'error.network':
      'Der Server ist nicht erreichbar. Prüfen Sie Ihre Verbindung und versuchen Sie es erneut.',
    'error.generic': 'Bei uns ist etwas schiefgegangen. Versuchen Sie es später erneut.',
    'error.forbidden': 'Sie haben hierauf keinen Zugriff.',
    'role.iso': 'Informationssicherheitsbeauftragte/r',
    'role.management': 'Geschäftsleitung',
    'role.member': 'Mitarbeiter/in',
    'role.auditor': 'Auditor/in',
    'notFound.title': 'Seite nicht gefunden',
    'notFound.body': 'Unter dieser Adresse gibt es keine Seite.',
    'notFound.home': 'Zum Posteingang',
  },
})
