/** Periodic reviews: programme entries, cycles, changes since the last review, the management review package, calendar items. */
export * from './calendar-sources.js'
export * from './changes.js'
export * from './cycle.js'
export * from './entry.js'
export * from './package.js'
export * from './trends.js'
export * from './types.js'
