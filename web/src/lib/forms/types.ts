/** Props and callbacks of the form renderer. */
import type {
  Answers,
  Catalogues,
  EvidenceItem,
  FormDefinition,
  FormSubmission,
  Lang,
} from '../../../../functions/domain/forms/evaluation.js'
import type { UrlNames } from './navigation.js'

/**
 * Sends the answers. Reject to report a failure: an error with `fields` (as the API's
 * `ApiError`, keys like `answers.turnover`) shows each message at its question; any other
 * error shows "Your answers could not be sent".
 */
export type SubmitHandler = (submission: FormSubmission) => Promise<unknown> | unknown

/** Uploads a file for an evidence question and returns its reference. */
export type UploadHandler = (
  file: File,
  questionId: string,
) => Promise<Extract<EvidenceItem, { kind: 'file' }>>

/** Props of `FormRenderer.svelte`. */
export interface FormRendererProps {
  /** The form definition (checked by the server, compiled with `prepareFormDefinition`; a broken one shows an error). */
  definition: FormDefinition
  /** The answers; bind them to keep them (`bind:answers`). */
  answers?: Answers
  lang?: Lang
  /** Catalogues for `catalogue` questions. */
  catalogues?: Catalogues
  onSubmit: SubmitHandler
  /** Saves a draft; called `draftDelayMs` after the last change and on every Continue. */
  onDraft?: (answers: Answers) => Promise<unknown> | unknown
  draftDelayMs?: number
  /** Offers file upload on evidence questions when given. */
  onUpload?: UploadHandler
  /** The submit button's text (default "Submit"). */
  submitLabel?: string
  /** Show "Check your answers" before submitting (default true). */
  checkAnswers?: boolean
  /** Today as yyyy-mm-dd (default: the browser's date). */
  today?: string
  /** The signed-in person's name: an acknowledgement must be signed with it (the server checks too). */
  signerName?: string
  /** Keep the page in the URL and in the browser history (default true). */
  syncUrl?: boolean
  urlNames?: UrlNames
  /** Set `document.title` (default true). */
  manageTitle?: boolean
}
