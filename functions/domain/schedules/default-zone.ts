/**
 * The zone a schedule uses when none is given, and the organisation's zone until
 * organisations choose their own. Its own module so the browser can read it without the
 * zone arithmetic (and its library) of `zone.ts`.
 */
export const DEFAULT_TIME_ZONE = 'Europe/Berlin'
