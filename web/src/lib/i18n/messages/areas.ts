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
    'organisation.yourRoles': 'Ihre Rollen',
  },
})
