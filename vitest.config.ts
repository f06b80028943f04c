import { defineConfig } from 'vitest/config'

/** Five suites: `npm test` runs unit, integration and infra; `npm run test:e2e` drives Chromium. */
export default defineConfig({
  test: {
    // Request logs would drown the reports; errors still print. Tests that build the app's
    // config without a local stack get a secret as the local stack would give them.
    env: { LOG_LEVEL: 'warn', APP_SECRET: 'vitest-app-secret-not-for-use' },
    projects: [
      {
        // scrypt and definition validation are CPU-bound: a busy 2-core machine needs headroom.
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts', 'test/conformance/**/*.test.ts'],
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          // A folder for the run's shared snapshots: the demo is seeded once, not once per file.
          globalSetup: ['test/support/global-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 240_000,
          fileParallelism: true,
        },
      },
      {
        test: {
          name: 'infra',
          include: ['test/infra/**/*.test.ts'],
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
