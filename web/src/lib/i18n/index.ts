/** The message catalogue: `t(key, params?)`, the reactive `locale`, and the types. */
export { LOCALES, type Locale } from './define.js'
export { locale, t } from './locale.svelte.js'
export type { MessageKey, MessageParams } from './translate.js'
