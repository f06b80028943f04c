/**
 * The evaluator's built-in error messages, in English and German, written the GOV.UK
 * way: say what to do ("Enter a number between 1 and 5"), not what went wrong.
 */
import type { Lang, LocalText } from './schema.js'

/** A message for one field: a stable code for programs, the text in both languages. */
export interface FieldMessage extends LocalText {
  code: FieldMessageCode
}

/** Stable codes of field messages. */
export type FieldMessageCode =
  | 'required'
  | 'comment_required'
  | 'not_a_number'
  | 'not_an_integer'
  | 'out_of_range'
  | 'too_many_decimals'
  | 'not_text'
  | 'too_short'
  | 'too_long'
  | 'pattern'
  | 'invalid_date'
  | 'date_out_of_range'
  | 'not_an_option'
  | 'selection_count'
  | 'invalid_evidence'
  | 'invalid_acknowledgement'
  | 'unknown_question'
  | 'malformed'
  | 'rule'

const msg = (code: FieldMessageCode, en: string, de: string): FieldMessage => ({ code, en, de })

/** Wraps a definition's own text as a field message. */
export const customMessage = (code: FieldMessageCode, text: LocalText): FieldMessage =>
  msg(code, text.en, text.de)

const LOCALE: Record<Lang, string> = { en: 'en-GB', de: 'de-DE' }

/** Formats a number for a message (1,234.5 / 1.234,5). */
export const formatNumber = (n: number, lang: Lang) =>
  new Intl.NumberFormat(LOCALE[lang], { maximumFractionDigits: 6 }).format(n)

/** Formats an amount in euros (€1,234.50 / 1.234,50 €). */
export const formatMoney = (n: number, lang: Lang) =>
  new Intl.NumberFormat(LOCALE[lang], { style: 'currency', currency: 'EUR' }).format(n)

/** Formats an ISO date the GOV.UK way (27 March 2025 / 27. März 2025). */
export const formatDate = (iso: string, lang: Lang) =>
  new Intl.DateTimeFormat(LOCALE[lang], {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  }).format(new Date(`${iso}T00:00:00Z`))

const range = (
  what: { en: string; de: string },
  min: string | undefined,
  max: string | undefined,
): { en: string; de: string } => {
  if (min !== undefined && max !== undefined)
    return {
      en: `Enter ${what.en} between ${min} and ${max}`,
      de: `Geben Sie ${what.de} zwischen ${min} und ${max} ein`,
    }
  if (min !== undefined)
    return { en: `Enter ${what.en} of ${min} or more`, de: `Geben Sie ${what.de} ab ${min} ein` }
  return { en: `Enter ${what.en} of ${max} or less`, de: `Geben Sie ${what.de} bis höchstens ${max} ein` }
}

/** The built-in messages. */
export const messages = {
  selectAnswer: () => msg('required', 'Select an answer', 'Wählen Sie eine Antwort aus'),
  selectAtLeastOne: () =>
    msg('required', 'Select at least one option', 'Wählen Sie mindestens eine Option aus'),
  enterAnswer: () => msg('required', 'Enter an answer', 'Geben Sie eine Antwort ein'),
  enterNumber: () => msg('required', 'Enter a number', 'Geben Sie eine Zahl ein'),
  enterAmount: () => msg('required', 'Enter an amount in euros', 'Geben Sie einen Betrag in Euro ein'),
  enterDate: () => msg('required', 'Enter a date', 'Geben Sie ein Datum ein'),
  selectRow: (row: LocalText) =>
    msg('required', `Select an answer for “${row.en}”`, `Wählen Sie eine Antwort für „${row.de}“ aus`),
  addEvidence: () =>
    msg(
      'required',
      'Add a link or a file as evidence',
      'Fügen Sie einen Link oder eine Datei als Nachweis hinzu',
    ),
  typeName: () =>
    msg(
      'required',
      'Type your full name to confirm',
      'Geben Sie zur Bestätigung Ihren vollständigen Namen ein',
    ),
  notYourName: (name: string) =>
    msg(
      'invalid_acknowledgement',
      `Type your own name as it is shown in ismsflow: ${name}`,
      `Geben Sie Ihren eigenen Namen so ein, wie er in ismsflow steht: ${name}`,
    ),
  selectDecision: () => msg('required', 'Select a decision', 'Wählen Sie eine Entscheidung aus'),
  commentRequired: () =>
    msg(
      'comment_required',
      'Enter a comment explaining your decision',
      'Geben Sie einen Kommentar zu Ihrer Entscheidung ein',
    ),
  notANumber: () =>
    msg('not_a_number', 'Enter a number, like 25', 'Geben Sie eine Zahl ein, zum Beispiel 25'),
  notAnAmount: () =>
    msg(
      'not_a_number',
      'Enter an amount in euros, like 1500',
      'Geben Sie einen Betrag in Euro ein, zum Beispiel 1500',
    ),
  notAnInteger: () => msg('not_an_integer', 'Enter a whole number', 'Geben Sie eine ganze Zahl ein'),
  numberOutOfRange: (min: number | undefined, max: number | undefined) => {
    const t = {
      en: range({ en: 'a number', de: '' }, fmt(min, 'en'), fmt(max, 'en')).en,
      de: range({ en: '', de: 'eine Zahl' }, fmt(min, 'de'), fmt(max, 'de')).de,
    }
    return msg('out_of_range', t.en, t.de)
  },
  amountOutOfRange: (min: number | undefined, max: number | undefined) => {
    const t = {
      en: range({ en: 'an amount', de: '' }, money(min, 'en'), money(max, 'en')).en,
      de: range({ en: '', de: 'einen Betrag' }, money(min, 'de'), money(max, 'de')).de,
    }
    return msg('out_of_range', t.en, t.de)
  },
  tooManyDecimals: () =>
    msg(
      'too_many_decimals',
      'Enter an amount with no more than 2 decimal places',
      'Geben Sie einen Betrag mit höchstens 2 Nachkommastellen ein',
    ),
  notText: () => msg('not_text', 'Enter text', 'Geben Sie Text ein'),
  tooShort: (n: number) =>
    msg('too_short', `Enter at least ${n} characters`, `Geben Sie mindestens ${n} Zeichen ein`),
  tooLong: (n: number) =>
    msg('too_long', `Enter ${n} characters or fewer`, `Geben Sie höchstens ${n} Zeichen ein`),
  invalidDate: () =>
    msg(
      'invalid_date',
      'Enter a real date, like 2025-03-27',
      'Geben Sie ein gültiges Datum ein, zum Beispiel 2025-03-27',
    ),
  dateTooEarly: (min: string) =>
    min === 'today'
      ? msg(
          'date_out_of_range',
          'The date must be today or in the future',
          'Das Datum muss heute oder in der Zukunft liegen',
        )
      : msg(
          'date_out_of_range',
          `The date must be on or after ${formatDate(min, 'en')}`,
          `Das Datum muss am oder nach dem ${formatDate(min, 'de')} liegen`,
        ),
  dateTooLate: (max: string) =>
    max === 'today'
      ? msg(
          'date_out_of_range',
          'The date must be today or in the past',
          'Das Datum muss heute oder in der Vergangenheit liegen',
        )
      : msg(
          'date_out_of_range',
          `The date must be on or before ${formatDate(max, 'en')}`,
          `Das Datum muss am oder vor dem ${formatDate(max, 'de')} liegen`,
        ),
  notAnOption: () =>
    msg('not_an_option', 'Select one of the options shown', 'Wählen Sie eine der angezeigten Optionen aus'),
  tooFewSelected: (n: number) =>
    msg('selection_count', `Select at least ${n} options`, `Wählen Sie mindestens ${n} Optionen aus`),
  tooManySelected: (n: number) =>
    msg('selection_count', `Select no more than ${n} options`, `Wählen Sie höchstens ${n} Optionen aus`),
  evidenceTooMany: (n: number) =>
    msg(
      'invalid_evidence',
      `Add no more than ${n} pieces of evidence`,
      `Fügen Sie höchstens ${n} Nachweise hinzu`,
    ),
  evidenceLink: (i: number) =>
    msg(
      'invalid_evidence',
      `Evidence ${i}: enter a web address starting with https:// or http://`,
      `Nachweis ${i}: Geben Sie eine Webadresse ein, die mit https:// oder http:// beginnt`,
    ),
  evidenceFile: (i: number) =>
    msg(
      'invalid_evidence',
      `Evidence ${i}: the uploaded file is missing; upload it again`,
      `Nachweis ${i}: Die hochgeladene Datei fehlt; laden Sie sie erneut hoch`,
    ),
  evidenceKind: (i: number) =>
    msg(
      'invalid_evidence',
      `Evidence ${i}: this kind of evidence is not accepted here`,
      `Nachweis ${i}: Diese Art von Nachweis ist hier nicht vorgesehen`,
    ),
  acknowledgementTime: () =>
    msg(
      'invalid_acknowledgement',
      'The time of your confirmation is missing; type your name again',
      'Der Zeitpunkt Ihrer Bestätigung fehlt; geben Sie Ihren Namen erneut ein',
    ),
  unknownQuestion: () =>
    msg('unknown_question', 'This is not a question on this form', 'Dies ist keine Frage dieses Formulars'),
  malformed: () =>
    msg(
      'malformed',
      'This answer is not in the expected format',
      'Diese Antwort hat nicht das erwartete Format',
    ),
}

function fmt(n: number | undefined, lang: Lang) {
  return n === undefined ? undefined : formatNumber(n, lang)
}
function money(n: number | undefined, lang: Lang) {
  return n === undefined ? undefined : formatMoney(n, lang)
}
