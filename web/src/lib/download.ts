/**
 * Downloads of stored evidence files. The API answers a short-lived presigned link
 * (`…/files/<id>/link`) to a request signed like every other (session cookie locally,
 * `Authorization: Bearer` on AWS); the browser then navigates to that link, which needs no
 * sign-in and answers the file as an attachment (the page stays where it is).
 */
import { api } from './api.js'

/** Where the browser goes (tests pass their own). */
export type Navigate = (url: string) => void

/**
 * Fetches the signed link of the file at `filePath` (`/api/certification/projects/<p>/files/<id>`)
 * and navigates to it.
 */
export async function downloadEvidence(
  filePath: string,
  navigate: Navigate = (url) => location.assign(url),
  client: { get(path: string): Promise<{ url: string }> } = api,
): Promise<void> {
  const { url } = await client.get(`${filePath}/link`)
  navigate(url)
}

/** A click handler for an evidence link: the signed download instead of the plain `href`. */
export function onEvidenceClick(filePath: string, onError: () => void = () => {}) {
  return (event: MouseEvent) => {
    // A new tab or window (modifier keys) keeps the plain link (a session cookie locally).
    if (event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) return
    event.preventDefault()
    downloadEvidence(filePath).catch(onError)
  }
}
