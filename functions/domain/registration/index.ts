/** Registration with the BSI (§§ 33, 34 BSIG): pure rules. */
export * from './bsi-registration.js'
