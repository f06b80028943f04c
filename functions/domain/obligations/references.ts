/**
 * Legal references in the reader's language. The rules write each reference once, in the
 * English form (`GDPR Art. 37(1)(c)`, `BDSG §38(1) sentence 1`, `EU recommendation
 * 2003/361/EC`); German readers get the German citation form (`Art. 37 Abs. 1 lit. c DSGVO`,
 * `§ 38 Abs. 1 Satz 1 BDSG`, `Empfehlung 2003/361/EG`). Stored decisions keep the English
 * form, so a reference is translated when it is shown.
 */

/** Laws by the name the rules use → the German name, written after the provision. */
const LAWS: Record<string, string> = {
  GDPR: 'DSGVO',
  BDSG: 'BDSG',
  BSIG: 'BSIG',
  NIS2: 'NIS-2-Richtlinie',
  TKG: 'TKG',
  EnWG: 'EnWG',
  'BSI-KritisV': 'BSI-KritisV',
}

/** Whole parts that are names rather than provisions. */
const NAMES: [RegExp, string][] = [
  [/\bEU recommendation 2003\/361\/EC\b/, 'Empfehlung 2003/361/EG'],
  [/\bRegulation \(EU\) (\d{4}\/\d+)/, 'Verordnung (EU) $1'],
  [/^TISAX Participant Handbook$/, 'TISAX-Teilnehmerhandbuch'],
  [/^state law$/, 'Landesrecht'],
  [/^TISAX assessment objectives \(ENX\)/, 'TISAX-Prüfziele (ENX)'],
  [/availability very high/, 'Verfügbarkeit sehr hoch'],
  [/prototype protection/, 'Prototypenschutz'],
]

const ROMAN = /^[ivx]+$/

/** `(2)(a)(ii)-(iii)` after an article or section → ` Abs. 2 lit. a Ziff. ii–iii`. */
function subdivisions(groups: string, article: boolean): string {
  const parts = [...groups.matchAll(/\(([^)]+)\)(?:-\(([^)]+)\))?/g)]
  return parts
    .map(([, from, to], i) => {
      const value = to ? `${from}–${to}` : from
      if (i === 0) return ` Abs. ${value}`
      if (article && /^[a-z]$/.test(from) && i === 1) return ` lit. ${value}`
      if (ROMAN.test(from)) return ` Ziff. ${value}`
      return ` ${value}`
    })
    .join('')
}

/** One item of a provision list (`§28(1) Nr 4`, `Art. 3(1)(c)`, `Annex I and II`) in German. */
function item(text: string): string {
  const t = text.trim()
  const section =
    /^§\s?(\d+[a-z]?)((?:\([^)]+\)(?:-\([^)]+\))?)*)(?:\s+Nr\.?\s?(\d+))?(?:\s+sentence\s+(\d+))?$/.exec(t)
  if (section) {
    const [, no, groups, nr, sentence] = section
    return `§ ${no}${subdivisions(groups, false)}${nr ? ` Nr. ${nr}` : ''}${sentence ? ` Satz ${sentence}` : ''}`
  }
  const article = /^Art\.\s?(\d+)((?:\([^)]+\)(?:-\([^)]+\))?)*)$/.exec(t)
  if (article) return `Art. ${article[1]}${subdivisions(article[2], true)}`
  // A subdivision that continues the previous item (`§28(1) Nr 4, (2) Nr 3`).
  const continued = /^\((\d+)\)(?:\s+Nr\.?\s?(\d+))?$/.exec(t)
  if (continued) return `Abs. ${continued[1]}${continued[2] ? ` Nr. ${continued[2]}` : ''}`
  return t.replace(/^Annex\b/, 'Anhang').replace(/\band\b/g, 'und')
}

/** One `;`-separated part: a law with its provisions (the law goes after them), or a name. */
function part(text: string): string {
  const t = text.trim()
  const law = Object.keys(LAWS)
    .sort((a, b) => b.length - a.length)
    .find((name) => t === name || t.startsWith(`${name} `))
  const provisions = law ? t.slice(law.length).trim() : ''
  if (law && !provisions) return LAWS[law]
  if (law && /^(§|Art\.|Annex|Anlage)/.test(provisions))
    return `${provisions.split(/,\s*/).map(item).join(', ')} ${LAWS[law]}`
  // Names and prose: the German names, articles in German form.
  let out = t
  for (const [pattern, german] of NAMES) out = out.replace(pattern, german)
  return out
    .replace(/Art\.\s?\d+(?:\([^)]+\)(?:-\([^)]+\))?)*/g, (m) => item(m))
    .replace(/\bAnnex\b/g, 'Anhang')
    .replace(/\band\b/g, 'und')
}

/**
 * A legal reference in `lang`: English as the rules write it, German in German citation form.
 *
 * @example
 * refText('GDPR Art. 37(1)(c)', 'de') // 'Art. 37 Abs. 1 lit. c DSGVO'
 * refText('BDSG §38(1) sentence 1', 'de') // '§ 38 Abs. 1 Satz 1 BDSG'
 */
export function refText(ref: string, lang: 'en' | 'de'): string {
  if (lang === 'en' || !ref) return ref
  return ref.split(/;\s*/).map(part).join('; ')
}
