import type { MailLanguage } from './message.js'

/** A text in both languages. */
export type Both = { en: string; de: string }

/**
 * What each message needs. Titles and links only: no answers, risk details or evidence
 * ever go into a message (DESIGN.md "People and sign-in").
 */
export interface MailParams {
  invitation: { orgName: string; inviterName: string; roles: string[]; link: string; expiresOn: string }
  'password-reset': { link: string; expiresInHours: number }
  'set-password': { orgName: string; link: string; expiresInHours: number }
  'task-assigned': { orgName: string; title: Both; link: string; dueOn?: string }
  'task-due': { orgName: string; title: Both; link: string; dueOn: string; tomorrow: boolean }
  'task-overdue': { orgName: string; title: Both; link: string; dueOn?: string; escalated: boolean }
  'approval-decided': { orgName: string; title: Both; link: string; decision: string }
  'weekly-digest': { orgName: string; open: number; overdue: number; link: string; accountLink: string }
}

/** The kinds of message ismsflow sends. */
export type MailKind = keyof MailParams

/** One message's texts before they become plain text and HTML. */
interface Draft {
  subject: string
  greeting: string
  paragraphs: string[]
  action: { label: string; link: string }
  footer: string
}

const ROLE_NAMES: Record<string, Both> = {
  iso: { en: 'information security officer', de: 'Informationssicherheitsbeauftragte/r' },
  management: { en: 'management', de: 'Geschäftsleitung' },
  member: { en: 'member', de: 'Mitglied' },
  auditor: { en: 'auditor', de: 'Auditor/in' },
}

const DECISIONS: Record<string, Both> = {
  approve: { en: 'approved', de: 'genehmigt' },
  approved: { en: 'approved', de: 'genehmigt' },
  reject: { en: 'rejected', de: 'abgelehnt' },
  rejected: { en: 'rejected', de: 'abgelehnt' },
  changes: { en: 'sent back for changes', de: 'zur Überarbeitung zurückgegeben' },
  'changes-needed': { en: 'sent back for changes', de: 'zur Überarbeitung zurückgegeben' },
  return: { en: 'sent back', de: 'zurückgegeben' },
}

const greet = (lang: MailLanguage, name?: string) =>
  lang === 'de' ? (name ? `Hallo ${name},` : 'Hallo,') : name ? `Hello ${name},` : 'Hello,'

const footer: Both = {
  en: 'This message was sent by ismsflow. It contains links only; sign in to see the details.',
  de: 'Diese Nachricht wurde von ismsflow gesendet. Sie enthält nur Links; melden Sie sich an, um Details zu sehen.',
}

/** `2026-12-24` → `24 December 2026` / `24. Dezember 2026`. */
export function formatDay(day: string, lang: MailLanguage): string {
  const d = new Date(`${day.slice(0, 10)}T12:00:00Z`)
  if (Number.isNaN(d.getTime())) return day
  return new Intl.DateTimeFormat(lang === 'de' ? 'de-DE' : 'en-GB', {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  }).format(d)
}

const TEMPLATES: {
  [K in MailKind]: (p: MailParams[K], lang: MailLanguage) => Omit<Draft, 'greeting' | 'footer'>
} = {
  invitation: (p, lang) => {
    const roles = p.roles.map((r) => ROLE_NAMES[r]?.[lang] ?? r).join(lang === 'de' ? ' und ' : ' and ')
    return lang === 'de'
      ? {
          subject: `Einladung zu ${p.orgName} in ismsflow`,
          paragraphs: [
            `${p.inviterName} lädt Sie ein, bei ${p.orgName} in ismsflow mitzuarbeiten (Rolle: ${roles}).`,
            `Der Link gilt einmal und bis zum ${formatDay(p.expiresOn, lang)}.`,
          ],
          action: { label: 'Einladung ansehen', link: p.link },
        }
      : {
          subject: `Invitation to ${p.orgName} on ismsflow`,
          paragraphs: [
            `${p.inviterName} invites you to work with ${p.orgName} on ismsflow (role: ${roles}).`,
            `The link works once and until ${formatDay(p.expiresOn, lang)}.`,
          ],
          action: { label: 'View the invitation', link: p.link },
        }
  },
  'password-reset': (p, lang) =>
    lang === 'de'
      ? {
          subject: 'Ihr Passwort für ismsflow zurücksetzen',
          paragraphs: [
            'Jemand hat verlangt, das Passwort Ihres ismsflow-Kontos zurückzusetzen. Wenn Sie das nicht waren, ignorieren Sie diese Nachricht: Ihr Passwort bleibt unverändert.',
            `Der Link gilt einmal und ${p.expiresInHours} Stunden lang.`,
          ],
          action: { label: 'Neues Passwort festlegen', link: p.link },
        }
      : {
          subject: 'Reset your ismsflow password',
          paragraphs: [
            'Someone asked to reset the password of your ismsflow account. If that was not you, ignore this message: your password stays as it is.',
            `The link works once and for ${p.expiresInHours} hours.`,
          ],
          action: { label: 'Choose a new password', link: p.link },
        },
  'set-password': (p, lang) =>
    lang === 'de'
      ? {
          subject: `Ihr Zugang zu ${p.orgName} in ismsflow`,
          paragraphs: [
            `Für Sie wurde ein ismsflow-Konto als Informationssicherheitsbeauftragte/r von ${p.orgName} eingerichtet. Legen Sie Ihr Passwort fest.`,
            `Der Link gilt einmal und ${p.expiresInHours} Stunden lang.`,
          ],
          action: { label: 'Passwort festlegen', link: p.link },
        }
      : {
          subject: `Your access to ${p.orgName} on ismsflow`,
          paragraphs: [
            `An ismsflow account was set up for you as the information security officer of ${p.orgName}. Choose your password.`,
            `The link works once and for ${p.expiresInHours} hours.`,
          ],
          action: { label: 'Choose your password', link: p.link },
        },
  'task-assigned': (p, lang) =>
    lang === 'de'
      ? {
          subject: `Neue Aufgabe: ${p.title.de}`,
          paragraphs: [
            `Bei ${p.orgName} wartet eine Aufgabe auf Sie: „${p.title.de}“.`,
            ...(p.dueOn ? [`Fällig am ${formatDay(p.dueOn, lang)}.`] : []),
          ],
          action: { label: 'Aufgabe öffnen', link: p.link },
        }
      : {
          subject: `New task: ${p.title.en}`,
          paragraphs: [
            `A task at ${p.orgName} is waiting for you: “${p.title.en}”.`,
            ...(p.dueOn ? [`Due on ${formatDay(p.dueOn, lang)}.`] : []),
          ],
          action: { label: 'Open the task', link: p.link },
        },
  'task-due': (p, lang) =>
    lang === 'de'
      ? {
          subject: `${p.tomorrow ? 'Morgen fällig' : 'Bald fällig'}: ${p.title.de}`,
          paragraphs: [
            `Die Aufgabe „${p.title.de}“ bei ${p.orgName} ist ${p.tomorrow ? 'morgen' : `am ${formatDay(p.dueOn, lang)}`} fällig.`,
          ],
          action: { label: 'Aufgabe öffnen', link: p.link },
        }
      : {
          subject: `${p.tomorrow ? 'Due tomorrow' : 'Due soon'}: ${p.title.en}`,
          paragraphs: [
            `The task “${p.title.en}” at ${p.orgName} is due ${p.tomorrow ? 'tomorrow' : `on ${formatDay(p.dueOn, lang)}`}.`,
          ],
          action: { label: 'Open the task', link: p.link },
        },
  'task-overdue': (p, lang) =>
    lang === 'de'
      ? {
          subject: `${p.escalated ? 'Eskaliert' : 'Überfällig'}: ${p.title.de}`,
          paragraphs: [
            p.escalated
              ? `Die Aufgabe „${p.title.de}“ bei ${p.orgName} wurde nicht rechtzeitig erledigt und an Sie eskaliert.`
              : `Die Aufgabe „${p.title.de}“ bei ${p.orgName} ist überfällig${p.dueOn ? ` (fällig am ${formatDay(p.dueOn, lang)})` : ''}.`,
          ],
          action: { label: 'Aufgabe öffnen', link: p.link },
        }
      : {
          subject: `${p.escalated ? 'Escalated' : 'Overdue'}: ${p.title.en}`,
          paragraphs: [
            p.escalated
              ? `The task “${p.title.en}” at ${p.orgName} was not done in time and has been escalated to you.`
              : `The task “${p.title.en}” at ${p.orgName} is overdue${p.dueOn ? ` (due on ${formatDay(p.dueOn, lang)})` : ''}.`,
          ],
          action: { label: 'Open the task', link: p.link },
        },
  'approval-decided': (p, lang) => {
    const decision = DECISIONS[p.decision]?.[lang] ?? p.decision
    return lang === 'de'
      ? {
          subject: `Entschieden: ${p.title.de}`,
          paragraphs: [`„${p.title.de}“ bei ${p.orgName} wurde ${decision}.`],
          action: { label: 'Ansehen', link: p.link },
        }
      : {
          subject: `Decided: ${p.title.en}`,
          paragraphs: [`“${p.title.en}” at ${p.orgName} was ${decision}.`],
          action: { label: 'View it', link: p.link },
        }
  },
  'weekly-digest': (p, lang) =>
    lang === 'de'
      ? {
          subject: `Ihre Woche bei ${p.orgName}: ${p.open} offene Aufgabe(n)`,
          paragraphs: [
            `Bei ${p.orgName} warten ${p.open} offene Aufgabe(n) auf Sie, davon ${p.overdue} überfällig.`,
            `Diese Übersicht können Sie in Ihrem Konto abbestellen: ${p.accountLink}`,
          ],
          action: { label: 'Posteingang öffnen', link: p.link },
        }
      : {
          subject: `Your week at ${p.orgName}: ${p.open} open task(s)`,
          paragraphs: [
            `At ${p.orgName}, ${p.open} open task(s) are waiting for you, ${p.overdue} of them overdue.`,
            `You can turn this digest off on your account page: ${p.accountLink}`,
          ],
          action: { label: 'Open your inbox', link: p.link },
        },
}

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!)

/**
 * Renders one message in the recipient's language as subject, plain text and HTML.
 *
 * @example
 * renderMail('password-reset', { link, expiresInHours: 2 }, 'de', 'Ines Sommer').subject
 * // 'Ihr Passwort für ismsflow zurücksetzen'
 */
export function renderMail<K extends MailKind>(
  kind: K,
  params: MailParams[K],
  lang: MailLanguage,
  name?: string,
): { subject: string; text: string; html: string } {
  const d: Draft = { ...TEMPLATES[kind](params, lang), greeting: greet(lang, name), footer: footer[lang] }
  const text = [
    d.greeting,
    '',
    ...d.paragraphs.flatMap((p) => [p, '']),
    `${d.action.label}: ${d.action.link}`,
    '',
    '-- ',
    d.footer,
    '',
  ].join('\n')
  const html = [
    `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><title>${escapeHtml(d.subject)}</title></head>`,
    '<body style="font-family: Arial, sans-serif; font-size: 16px; line-height: 1.5; color: #0b0c0c">',
    `<p>${escapeHtml(d.greeting)}</p>`,
    ...d.paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`),
    `<p><a href="${escapeHtml(d.action.link)}" style="color: #1d70b8">${escapeHtml(d.action.label)}</a></p>`,
    `<hr><p style="font-size: 14px; color: #505a5f">${escapeHtml(d.footer)}</p>`,
    '</body></html>',
  ].join('\n')
  return { subject: d.subject, text, html }
}
