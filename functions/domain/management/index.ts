/** Management duties under § 38 BSIG: approval of the measures and training. */
export * from './duties.js'
