/** Internal audits (ISO/IEC 27001:2022 9.2) and corrective actions (10.2): programme, coverage, independence, findings, checklists. */
export * from './areas.js'
export * from './checklist.js'
export * from './findings.js'
export * from './programme.js'
