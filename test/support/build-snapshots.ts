/**
 * Builds one of the run's shared snapshots ahead of the files that need it (`stack` or `api`);
 * `global-setup.ts` starts it for a whole run, so the seed runs while the first files load.
 */
import { demoApiSnapshot } from '../integration/api/support.js'
import { demoStackSnapshot } from './stack.js'

await (process.argv[2] === 'api' ? demoApiSnapshot() : demoStackSnapshot())
process.exit(0)
