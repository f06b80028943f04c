/** A user-facing text in both languages. */
export interface Text {
  en: string
  de: string
}

/** One reason of a conclusion: what and why, with the legal reference the result page cites. */
export interface Reason {
  text: Text
  ref: string
}

/** Builds a reason. */
export const reason = (en: string, de: string, ref: string): Reason => ({ text: { en, de }, ref })

const EN = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 2 })
const DE = new Intl.NumberFormat('de-DE', { maximumFractionDigits: 2 })

/** A number in English and German notation (`1,500,000` / `1.500.000`). */
export const num = (n: number): Text => ({ en: EN.format(n), de: DE.format(n) })

/** An amount in euros in English and German notation (`€50,000,000` / `50.000.000 €`). */
export const eur = (n: number): Text => ({ en: `€${EN.format(n)}`, de: `${DE.format(n)} €` })
