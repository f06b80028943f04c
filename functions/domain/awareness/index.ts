/** Awareness and training campaigns (A.6.3, A.5.1, BSIG §38(3)). */
export * from './campaign.js'
