import { build } from 'esbuild'
import { serverBuildOptions } from './infra/local/bundle.js'
const c0 = process.cpuUsage(); const t0 = Date.now()
await build({ ...serverBuildOptions('/work/wt/testspeed2/.build/tmp-b'), entryPoints: { 'engine-crash-child': 'test/integration/engine/crash-child.ts', 'incidents-crash-child': 'test/integration/incidents/crash-child.ts', 'tasks-crash-child': 'test/integration/tasks/crash-child.ts', 'build-snapshots': 'test/support/build-snapshots.ts' } })
console.log('wall', Date.now() - t0, 'cpu main', process.cpuUsage(c0))
