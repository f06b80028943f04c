import { defineMessages } from '../define.js'

/** Page headings of the areas, the inbox welcome and the organisation page. */
export default defineMessages({
  en: {
    'inbox.title': 'Inbox',
    'inbox.welcome': 'Welcome, {name}. You are working in {org} as {roles}.',
    'assessments.title': 'Assessments',
    'risks.title': 'Risks',
    'certification.title': 'Certification',
    'reviews.title': 'Reviews',
    'workflows.title': 'Workflows',
    'organisation.title': 'Organisation',
    'organisation.name': 'Name',
    'organisation.id': 'Identifier',
    'organisation.country': 'Country',
    'organisation.sector': 'Sector',
    'organisation.timeZone': 'Time zone',
    'organisation.timeZoneHint':
      'The incident clocks, the calendar and its feed show dates and times in this zone. Deadlines are kept in UTC, so changing it moves no deadline.',
    'organisation.timeZoneSave': 'Save the time zone',
    'organisation.timeZoneSaved': 'The time zone is now {zone}.',
    'organisation.yourRoles': 'Your roles',
  },
  de: {
    'inbox.title': 'Posteingang',
    'inbox.welcome': 'Willkommen, {name}. Sie arbeiten in {org} als {roles}.',
    'assessments.title': 'Bewertungen',
    'risks.title': 'Risiken',
    'certification.title': 'Zertifizierung',
    'reviews.title': 'Überprüfungen',
    'workflows.title': 'Abläufe',
    'organisation.title': 'Organisation',
    'organisation.name': 'Name',
    'organisation.id': 'Kennung',
    'organisation.country': 'Land',
    'organisation.sector': 'Branche',
    'organisation.timeZone': 'Zeitzone',
    'organisation.timeZoneHint':
      'Die Meldefristen von Sicherheitsvorfällen, der Kalender und sein Abonnement zeigen Datum und Uhrzeit in dieser Zone. Fristen werden in UTC gespeichert; eine Änderung verschiebt keine Frist.',
    'organisation.timeZoneSave': 'Zeitzone speichern',
    'organisation.timeZoneSaved': 'Die Zeitzone ist jetzt {zone}.',
    'organisation.yourRoles': 'Ihre Rollen',
  },
})
