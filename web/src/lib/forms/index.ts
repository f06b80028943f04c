/**
 * The form renderer. It evaluates with the same module as the server
 * (`functions/domain/forms`, imported by relative path), so what the browser accepts the
 * server accepts.
 *
 * @example
 * <FormRenderer
 *   definition={task.form}            // a FormDefinition (checked by the server; compiled with prepareFormDefinition)
 *   bind:answers                      // resume from a draft by passing its answers
 *   lang={locale.current}
 *   catalogues={{ 'nis2-activities': activities }}
 *   onDraft={(answers) => api.post(`/api/tasks/${id}/draft`, { answers })}
 *   onSubmit={(s) => api.post(`/api/tasks/${id}/complete`, { answers: s.answers, version: s.version })}
 * />
 *
 * The page shown lives in the URL (`?page=<id>`, `&change=1` after a Change link, `?check=1`
 * for "Check your answers"), so a reload resumes there and the browser's Back agrees with the
 * Back link. Without `?page`, the form opens at the first page that is not complete.
 */
export type { AutosaveStatus } from './autosave.js'
export { default as FormRenderer } from './FormRenderer.svelte'
export type { FormRendererProps, SubmitHandler, UploadHandler } from './types.js'
