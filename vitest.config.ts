import { svelte } from '@sveltejs/vite-plugin-svelte'
import { defineConfig } from 'vitest/config'
import { ProjectOrderSequencer } from './test/support/sequencer.js'
import { messageCatalogues } from './web/build/messages.js'

/**
 * The TypeScript of unit, integration and infra files as transformed in an earlier run, kept in
 * node_modules/.experimental-vitest-cache (keyed by each file's content, the config and the
 * lockfile): a run transforms only what changed since. Not for the web project, whose texts
 * plugin names each module's catalogue while it transforms.
 */
const cachedTransforms = { fsModuleCache: true }

/**
 * Six suites: `npm test` runs unit, web, integration and infra; `npm run test:e2e` drives
 * Chromium.
 */
export default defineConfig({
  test: {
    // Request logs would drown the reports; errors still print. Tests that build the app's
    // config without a local stack get a secret as the local stack would give them.
    env: { LOG_LEVEL: 'warn', APP_SECRET: 'vitest-app-secret-not-for-use' },
    // Three workers on two cores (vitest's default is one fewer than the cores: one worker
    // here): integration files spend much of their time waiting on their stack's timers and
    // sockets, so a third worker fills the cores; each file's stack takes its own free ports.
    maxWorkers: 3,
    // The projects of a run in an order that leaves the short unit tests for its end.
    sequence: { sequencer: ProjectOrderSequencer },
    projects: [
      {
        // scrypt and definition validation are CPU-bound: a busy 2-core machine needs headroom.
        test: {
          name: 'unit',
          experimental: cachedTransforms,
          include: ['test/unit/**/*.test.ts', 'test/conformance/**/*.test.ts'],
          testTimeout: 30_000,
          // The files of a worker share their modules: no unit test keeps state between files.
          isolate: false,
        },
      },
      {
        // The web's classes with runes (`*.svelte.ts`), compiled as the build compiles them
        // (Svelte's client runtime, each module with its texts) and run against a DOM
        // (happy-dom): state transitions and error paths, the API served by a real Hono app.
        plugins: [svelte({ configFile: 'web/svelte.config.js' }), messageCatalogues()],
        resolve: { conditions: ['browser'] },
        test: {
          name: 'web',
          include: ['test/web/**/*.test.ts'],
          environment: 'happy-dom',
          // The files of a worker share their modules (Svelte's runtime, the texts, Hono for the
          // test servers) and the page: each file opens its own server's address and sets the
          // path it starts from (passes in any order in one worker).
          isolate: false,
        },
      },
      {
        test: {
          name: 'integration',
          experimental: cachedTransforms,
          include: ['test/integration/**/*.test.ts'],
          // A folder for the run's shared snapshots: the demo is seeded once, not once per file.
          globalSetup: ['test/support/global-setup.ts'],
          // The files of a worker share their modules (the SDK, Hono, zod and the engine are
          // evaluated once per worker); file-reset.ts puts back what a file's stack set.
          isolate: false,
          setupFiles: ['test/support/file-reset.ts'],
          // Limits, not durations: a test ends when its work is done. On a shared 2-core machine
          // a workflow test's work can take minutes; no test sets a lower limit of its own.
          testTimeout: 240_000,
          hookTimeout: 240_000,
          fileParallelism: true,
        },
      },
      {
        test: {
          name: 'infra',
          experimental: cachedTransforms,
          include: ['test/infra/**/*.test.ts'],
          // The files of a worker share their modules: aws-cdk-lib, cdk-nag and the CloudFormation
          // validation's WebAssembly load once per worker, not once per file (each file builds its
          // own App; nothing keeps state between files).
          isolate: false,
          testTimeout: 300_000,
          hookTimeout: 300_000,
        },
      },
      {
        // The rehearsal of the synthesized assembly (`npm run test:assembly`): bundles on the local engine.
        test: {
          name: 'assembly',
          include: ['test/assembly/**/*.test.ts'],
          testTimeout: 600_000,
          hookTimeout: 900_000,
          fileParallelism: false,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
})
