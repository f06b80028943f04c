import { defineMessages } from '../define.js'

/** Page headings and the honest "coming" notes of areas not built yet. */
export default defineMessages({
  en: {
    comingTitle: 'This area is coming',
    comingBody:
      'This part of ismsflow is not built yet. Nothing here is real data, and nothing you do here is saved.',
    'inbox.title': 'Inbox',
    'inbox.welcome': 'Welcome, {name}. You are working in {org} as {roles}.',
    'inbox.about':
      'Your tasks will appear here: questionnaires to answer, approvals to decide, evidence to upload, with their due dates.',
    'assessments.title': 'Assessments',
    'assessments.about':
      'Questionnaires that establish which obligations apply to the organisation (NIS2, KRITIS, GDPR, TISAX) and why.',
    'risks.title': 'Risks',
    'risks.about':
      'The risk register: likelihood and impact, owners, treatment, and management’s acceptance.',
    'certification.title': 'Certification',
    'certification.about': 'Readiness for ISO 27001 and TISAX: controls, evidence and the path to the audit.',
    'reviews.title': 'Reviews',
    'reviews.about': 'Recurring reviews with their deadlines, reminders and escalations.',
    'workflows.title': 'Workflows',
    'workflows.about': 'The workflows that run the recurring processes, their state and their history.',
    'organisation.title': 'Organisation',
    'organisation.name': 'Name',
    'organisation.id': 'Identifier',
    'organisation.country': 'Country',
    'organisation.sector': 'Sector',
    'organisation.yourRoles': 'Your roles',
  },
  de: {
    comingTitle: 'Dieser Bereich folgt',
    comingBody:
      'Dieser Teil von ismsflow ist noch nicht gebaut. Hier gibt es keine echten Daten, und nichts, was Sie hier tun, wird gespeichert.',
    'inbox.title': 'Posteingang',
    'inbox.welcome': 'Willkommen, {name}. Sie arbeiten in {org} als {roles}.',
    'inbox.about':
      'Hier erscheinen Ihre Aufgaben: Fragebögen zum Beantworten, Freigaben zum Entscheiden, Nachweise zum Hochladen, mit ihren Fristen.',
    'assessments.title': 'Bewertungen',
    'assessments.about':
      'Fragebögen, die klären, welche Pflichten für die Organisation gelten (NIS2, KRITIS, DSGVO, TISAX) und warum.',
    'risks.title': 'Risiken',
    'risks.about':
      'Das Risikoregister: Eintrittswahrscheinlichkeit und Auswirkung, Verantwortliche, Behandlung und Risikoakzeptanz der Geschäftsleitung.',
    'certification.title': 'Zertifizierung',
    'certification.about':
      'Bereitschaft für ISO 27001 und TISAX: Maßnahmen, Nachweise und der Weg zum Audit.',
    'reviews.title': 'Überprüfungen',
    'reviews.about': 'Wiederkehrende Überprüfungen mit Fristen, Erinnerungen und Eskalationen.',
    'workflows.title': 'Abläufe',
    'workflows.about': 'Die Abläufe hinter den wiederkehrenden Prozessen, ihr Stand und ihre Historie.',
    'organisation.title': 'Organisation',
    'organisation.name': 'Name',
    'organisation.id': 'Kennung',
    'organisation.country': 'Land',
    'organisation.sector': 'Branche',
    'organisation.yourRoles': 'Ihre Rollen',
  },
})
