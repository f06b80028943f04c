/** Security incidents on the legal clocks: NIS2 (BSIG §32), GDPR (Art. 33/34) and DORA. */
export * from './clocks.js'
export * from './draft.js'
export * from './incident.js'
export * from './months.js'
export * from './regime.js'
export * from './texts.js'
export * from './types.js'
export * from './words.js'
