import { defineMessages } from '../define.js'

/** Sign-in through the OpenID provider (ismsflow on AWS: Cognito's managed login). */
export default defineMessages({
  en: {
    title: 'Sign in',
    heading: 'Sign in to ismsflow',
    intro: 'You sign in on the sign-in page of your ismsflow installation and come back here.',
    submit: 'Continue to sign-in',
    redirecting: 'Opening the sign-in page…',
    failed: 'Signing in did not work. Try again.',
    'unlinked.title': 'No ismsflow account',
    'unlinked.heading': 'Your sign-in is not linked to an ismsflow account',
    'unlinked.body':
      'You are signed in, but no organisation has invited this account yet. Open the invitation link from your e-mail while signed in, or ask your information security officer to invite you.',
    'unlinked.signOut': 'Sign out',
  },
  de: {
    title: 'Anmelden',
    heading: 'Bei ismsflow anmelden',
    intro:
      'Sie melden sich auf der Anmeldeseite Ihrer ismsflow-Installation an und kehren dann hierher zurück.',
    submit: 'Weiter zur Anmeldung',
    redirecting: 'Die Anmeldeseite wird geöffnet…',
    failed: 'Die Anmeldung hat nicht geklappt. Versuchen Sie es erneut.',
    'unlinked.title': 'Kein ismsflow-Konto',
    'unlinked.heading': 'Ihre Anmeldung ist mit keinem ismsflow-Konto verknüpft',
    'unlinked.body':
      'Sie sind angemeldet, aber keine Organisation hat dieses Konto bisher eingeladen. Öffnen Sie den Einladungslink aus Ihrer E-Mail, während Sie angemeldet sind, oder bitten Sie Ihre/n Informationssicherheitsbeauftragte/n um eine Einladung.',
    'unlinked.signOut': 'Abmelden',
  },
})
