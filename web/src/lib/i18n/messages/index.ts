/**
 * Every message area, merged under its name: key `nav.inbox` of area `shell` is
 * `t('shell.nav.inbox')`. Adding an area is one line here plus its file.
 */

export { default as areas } from './areas.js'
export { default as audit } from './audit.js'
export { default as audits } from './audits.js'
export { default as auth } from './auth.js'
export { default as awareness } from './awareness.js'
export { default as calendar } from './calendar.js'
export { default as certification } from './certification.js'
export { default as common } from './common.js'
export { default as context } from './context.js'
export { default as forms } from './forms.js'
export { default as home } from './home.js'
export { default as incidents } from './incidents.js'
export { default as obligations } from './obligations.js'
export { default as people } from './people.js'
export { default as provider } from './provider.js'
export { default as reviews } from './reviews.js'
export { default as risks } from './risks.js'
export { default as search } from './search.js'
export { default as shell } from './shell.js'
export { default as tasks } from './tasks.js'
export { default as workflows } from './workflows.js'
