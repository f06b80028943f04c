/**
 * The form renderer: `<FormRenderer definition={…} bind:answers lang onSubmit onDraft />`.
 * It evaluates with the same module as the server (`functions/domain/forms`).
 */

export type { AutosaveStatus } from './autosave.js'
export { default as FormRenderer } from './FormRenderer.svelte'
export type { FormRendererProps, SubmitHandler, UploadHandler } from './types.js'
