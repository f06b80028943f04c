import { defineMessages } from '../define.js'

/** Words used everywhere: roles, loading, errors. */
export default defineMessages({
  en: {
    appName: 'ismsflow',
    loading: 'Loading…',
    pageLoading: 'Loading the page {page}…',
    retry: 'Try again',
    reload: 'Reload',
    'error.title': 'There is a problem',
    'error.network': 'The server cannot be reached. Check your connection and try again.',
    'error.generic': 'Something went wrong on our side. Try again later.',
    'error.pageLoad': 'This page could not be loaded. Check your connection and reload the page.',
    'error.forbidden': 'You do not have access to this.',
    'download.failed': 'The download did not work. Try again; if it keeps failing, reload the page.',
    'download.network':
      'The download did not work: the server cannot be reached. Check your connection and try again.',
    'download.forbidden':
      'The download did not work: this file is not there any more or you do not have access to it.',
    'error.notFound': 'This was not found. It may have been removed, or the address is wrong.',
    'error.conflict': 'Someone changed this at the same time. Reload the page and try again.',
    'error.invalid': 'Some of what was sent is not valid.',
    'error.rateLimited': 'Too many attempts. Wait a few minutes and try again.',
    'error.tooLarge': 'This is too large to send.',
    'error.reference': 'Reference for support: {id}',
    more: 'Show more',
    moreLoading: 'Loading more…',
    moreAdded: '{count, plural, one {# more entry shown} other {# more entries shown}}, {shown} in all.',
    moreAddedOf:
      '{count, plural, one {# more entry shown} other {# more entries shown}}: {shown} of {total}.',
    'error.more': 'The next entries could not be loaded.',
    'role.iso': 'Information security officer',
    'role.management': 'Management',
    'role.member': 'Member',
    'role.auditor': 'Auditor',
    'notFound.title': 'Page not found',
    'notFound.body': 'There is no page at this address.',
    'notFound.home': 'Go to your inbox',
    'actor.system': 'ismsflow',
    'actor.workflow': 'ismsflow (workflow)',
    'actor.seed': 'ismsflow (demo data)',
    'actor.scheduler': 'ismsflow (schedule)',
    'actor.notifications': 'ismsflow (notifications)',
    'actor.tasks': 'ismsflow (tasks)',
  },
  de: {
    appName: 'ismsflow',
    loading: 'Wird geladen…',
    pageLoading: 'Die Seite {page} wird geladen…',
    retry: 'Erneut versuchen',
    reload: 'Neu laden',
    'error.title': 'Es gibt ein Problem',
    'error.network':
      'Der Server ist nicht erreichbar. Prüfen Sie Ihre Verbindung und versuchen Sie es erneut.',
    'error.generic': 'Bei uns ist etwas schiefgegangen. Versuchen Sie es später erneut.',
    'error.pageLoad':
      'Diese Seite konnte nicht geladen werden. Prüfen Sie Ihre Verbindung und laden Sie die Seite neu.',
    'error.forbidden': 'Sie haben hierauf keinen Zugriff.',
    'download.failed':
      'Der Download hat nicht geklappt. Versuchen Sie es erneut; wenn es weiter fehlschlägt, laden Sie die Seite neu.',
    'download.network':
      'Der Download hat nicht geklappt: Der Server ist nicht erreichbar. Prüfen Sie Ihre Verbindung und versuchen Sie es erneut.',
    'download.forbidden':
      'Der Download hat nicht geklappt: Diese Datei gibt es nicht mehr oder Sie haben keinen Zugriff darauf.',
    'error.notFound': 'Nicht gefunden. Vielleicht wurde es entfernt, oder die Adresse ist falsch.',
    'error.conflict':
      'Jemand hat dies gleichzeitig geändert. Laden Sie die Seite neu und versuchen Sie es erneut.',
    'error.invalid': 'Ein Teil der Angaben ist ungültig.',
    'error.rateLimited': 'Zu viele Versuche. Warten Sie ein paar Minuten und versuchen Sie es erneut.',
    'error.tooLarge': 'Das ist zu groß zum Senden.',
    'error.reference': 'Kennung für den Support: {id}',
    more: 'Mehr anzeigen',
    moreLoading: 'Weitere werden geladen…',
    moreAdded:
      '{count, plural, one {# weiterer Eintrag angezeigt} other {# weitere Einträge angezeigt}}, {shown} insgesamt.',
    moreAddedOf:
      '{count, plural, one {# weiterer Eintrag angezeigt} other {# weitere Einträge angezeigt}}: {shown} von {total}.',
    'error.more': 'Die nächsten Einträge konnten nicht geladen werden.',
    'role.iso': 'Informationssicherheitsbeauftragte/r',
    'role.management': 'Geschäftsleitung',
    'role.member': 'Mitarbeiter/in',
    'role.auditor': 'Auditor/in',
    'notFound.title': 'Seite nicht gefunden',
    'notFound.body': 'Unter dieser Adresse gibt es keine Seite.',
    'notFound.home': 'Zum Posteingang',
    'actor.system': 'ismsflow',
    'actor.workflow': 'ismsflow (Ablauf)',
    'actor.seed': 'ismsflow (Demodaten)',
    'actor.scheduler': 'ismsflow (Zeitplan)',
    'actor.notifications': 'ismsflow (Benachrichtigungen)',
    'actor.tasks': 'ismsflow (Aufgaben)',
  },
})
