/** Periodic schedules: EventBridge expressions, occurrences, descriptions, presets, review templates. */
export * from './cron.js'
export * from './describe.js'
export * from './expression.js'
export * from './occurrences.js'
export * from './presets.js'
export * from './schedule.js'
export * from './templates.js'
export * from './zone.js'
