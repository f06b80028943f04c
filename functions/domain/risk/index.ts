/**
 * The risk register's pure rules: risks and treatment plans (schemas and rules with field-named
 * errors), the configurable matrix and scoring, heat maps, risk appetite and acceptance, the
 * four-eyes rule, snapshots with a stable hash, material change, snapshot diffs, export rows.
 * Shared by the browser and the server; no I/O.
 */
export * from './calendar.js'
export * from './canonical.js'
export * from './contrast.js'
export * from './controls.js'
export * from './decisions.js'
export * from './fields.js'
export * from './heatmap.js'
export * from './matrix.js'
export * from './plan.js'
export * from './register.js'
export * from './risk.js'
export * from './sha256.js'
export * from './snapshot.js'
export * from './text.js'
