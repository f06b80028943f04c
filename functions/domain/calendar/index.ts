/** Calendar: items due across organisations, the iCalendar feed and its checker. */

export * from './due.js'
export * from './ics.js'
export * from './ics-validate.js'
export * from './items.js'
