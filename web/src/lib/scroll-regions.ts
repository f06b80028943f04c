/**
 * Wide tables scroll sideways inside their `.table-wrap`, never the page. A region that
 * scrolls must be reachable by keyboard (WCAG 2.1.1; axe `scrollable-region-focusable`) and
 * say what it holds: this gives every `.table-wrap` in `root` `tabindex="0"`,
 * `role="region"` and a name (its table's caption, else the nearest section heading), also
 * for tables that pages add later. Pages keep writing a plain `<div class="table-wrap">`.
 */

/** The name of a scroll region: its table's caption, the heading of its section, or `fallback`. */
export function regionName(wrap: Element, fallback: string): string {
  const caption = wrap.querySelector('caption')?.textContent?.trim()
  if (caption) return caption
  const section = wrap.closest('section, [aria-labelledby]')
  const labelledBy = section?.getAttribute('aria-labelledby')
  const heading = labelledBy ? document.getElementById(labelledBy)?.textContent?.trim() : undefined
  return heading || fallback
}

function label(root: ParentNode, fallback: () => string) {
  for (const wrap of root.querySelectorAll<HTMLElement>('.table-wrap')) {
    if (!wrap.hasAttribute('tabindex')) wrap.tabIndex = 0
    if (!wrap.hasAttribute('role')) wrap.setAttribute('role', 'region')
    const name = regionName(wrap, fallback())
    if (wrap.getAttribute('aria-label') !== name) wrap.setAttribute('aria-label', name)
  }
}

/**
 * Keeps the scroll regions under `root` focusable and named while its content changes;
 * answers a function that stops watching. `fallback` names a region with nothing better.
 */
export function watchScrollRegions(root: HTMLElement, fallback: () => string): () => void {
  let queued = false
  const run = () => {
    queued = false
    label(root, fallback)
  }
  const observer = new MutationObserver(() => {
    if (queued) return
    queued = true
    queueMicrotask(run)
  })
  observer.observe(root, { childList: true, subtree: true, characterData: true })
  run()
  return () => observer.disconnect()
}
