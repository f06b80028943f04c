import type { Page } from 'playwright-core'
import * as areas from '../../../web/src/lib/i18n/messages/index.js'

/**
 * The texts of the English message catalogue that the German one does not have: a German
 * page that shows one of them leaks English. Texts the same in both languages (names such
 * as "ismsflow", "TISAX", "ISO/IEC 27001") are not English-only. A text with placeholders
 * contributes its fixed parts of 12 or more characters.
 */
export function englishOnlyTexts(): { exact: string[]; parts: string[] } {
  const en: string[] = []
  const de: string[] = []
  for (const area of Object.values(areas) as { en: Record<string, string>; de: Record<string, string> }[]) {
    en.push(...Object.values(area.en))
    de.push(...Object.values(area.de))
  }
  const german = new Set(de)
  const germanText = de.join('\n')
  const exact = new Set<string>()
  const parts = new Set<string>()
  for (const text of en) {
    if (german.has(text)) continue
    if (!text.includes('{')) {
      if (text.trim().length >= 4 && !germanText.includes(text)) exact.add(text.trim())
      continue
    }
    for (const part of text.split(/\{\w+\}/).map((p) => p.trim()))
      if (part.length >= 12 && !germanText.includes(part)) parts.add(part)
  }
  return { exact: [...exact], parts: [...parts] }
}

/**
 * The English-only catalogue texts a page shows: text nodes (and accessible names in
 * `aria-label`, `title`, `placeholder`, `alt`) that are one of them, or contain one of three
 * words or more (or a fixed part of a text with placeholders). Text
 * marked `lang="en"` (the "English" language button) is left out.
 */
export async function englishOnPage(
  page: Page,
  texts: { exact: string[]; parts: string[] },
): Promise<string[]> {
  return page.evaluate(({ exact, parts }) => {
    const exactSet = new Set(exact)
    // Inside a longer text only phrases of three words or more count: a two-word label such
    // as "Data protection" is also an ordinary phrase of the organisation's own records.
    const long = [...exact.filter((x) => x.length >= 12 && x.split(' ').length >= 3), ...parts]
    const found = new Set<string>()
    const check = (text: string) => {
      const t = text.replace(/\s+/g, ' ').trim()
      if (!t) return
      if (exactSet.has(t)) found.add(t)
      for (const x of long) if (t.includes(x)) found.add(`${x} (in “${t.slice(0, 80)}”)`)
    }
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT)
    while (walker.nextNode()) {
      const el = walker.currentNode.parentElement
      if (!el || el.closest('script, style, [lang="en"]')) continue
      check(walker.currentNode.textContent ?? '')
    }
    for (const el of document.querySelectorAll('[aria-label], [title], [placeholder], [alt]'))
      if (!el.closest('[lang="en"]'))
        for (const a of ['aria-label', 'title', 'placeholder', 'alt']) check(el.getAttribute(a) ?? '')
    check(document.title)
    return [...found]
  }, texts)
}
