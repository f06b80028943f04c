import { defineMessages } from '../define.js'

/** The sign-in page. */
export default defineMessages({
  en: {
    title: 'Sign in',
    heading: 'Sign in to ismsflow',
    intro: 'Use the e-mail address and password of your ismsflow account.',
    email: 'E-mail address',
    password: 'Password',
    submit: 'Sign in',
    submitting: 'Signing in…',
    'error.emailMissing': 'Enter your e-mail address',
    'error.emailInvalid': 'Enter an e-mail address in the correct format, like name@example.com',
    'error.passwordMissing': 'Enter your password',
    'error.failed': 'The e-mail address or password is not correct.',
    code: 'Code from your authenticator app',
    codeHint: 'The six digits the app shows now, or one of your recovery codes.',
    codeIntro: 'Two-step sign-in is on for this account: enter the code from your authenticator app.',
    'error.codeMissing': 'Enter the code from your authenticator app',
    'error.codeWrong': 'The code is not correct. Enter the code the app shows now.',
    'error.rateLimited': 'Too many failed sign-ins. Wait 15 minutes and try again.',
    'error.noOrganisation':
      'Your account is not a member of any organisation yet. Ask your information security officer.',
    expired: 'Your session has ended. Sign in again.',
  },
  de: {
    title: 'Anmelden',
    heading: 'Bei ismsflow anmelden',
    intro: 'Verwenden Sie die E-Mail-Adresse und das Passwort Ihres ismsflow-Kontos.',
    email: 'E-Mail-Adresse',
    password: 'Passwort',
    submit: 'Anmelden',
    submitting: 'Anmeldung läuft…',
    'error.emailMissing': 'Geben Sie Ihre E-Mail-Adresse ein',
    'error.emailInvalid': 'Geben Sie eine E-Mail-Adresse im richtigen Format ein, z. B. name@example.com',
    'error.passwordMissing': 'Geben Sie Ihr Passwort ein',
    'error.failed': 'E-Mail-Adresse oder Passwort sind nicht korrekt.',
    code: 'Code aus Ihrer Authenticator-App',
    codeHint: 'Die sechs Ziffern, die die App jetzt zeigt, oder einer Ihrer Wiederherstellungscodes.',
    codeIntro:
      'Für dieses Konto ist die Anmeldung in zwei Schritten eingeschaltet: Geben Sie den Code aus Ihrer Authenticator-App ein.',
    'error.codeMissing': 'Geben Sie den Code aus Ihrer Authenticator-App ein',
    'error.codeWrong': 'Der Code ist nicht korrekt. Geben Sie den Code ein, den die App jetzt zeigt.',
    'error.rateLimited':
      'Zu viele fehlgeschlagene Anmeldungen. Warten Sie 15 Minuten und versuchen Sie es erneut.',
    'error.noOrganisation':
      'Ihr Konto gehört noch keiner Organisation an. Wenden Sie sich an Ihre/n Informationssicherheitsbeauftragte/n.',
    expired: 'Ihre Sitzung ist abgelaufen. Melden Sie sich erneut an.',
  },
})
