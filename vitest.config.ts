import { availableParallelism } from 'node:os';
import { configDefaults, defineConfig } from 'vitest/config';

/**
 * Files that replace modules (`vi.mock`) or the clock (fake timers): they need a fresh module
 * graph of their own, so they run isolated; every other file shares its worker's modules.
 */
const needsIsolation = [
  'src/platform/http/rate-limit.test.ts',
  'src/platform/realtime/socket-guard.test.ts',
  'src/faces/native/login-enumeration.test.ts',
];

export default defineConfig({
  test: {
    // Migrates one template database per run; each file's database starts as a copy of it.
    globalSetup: ['src/testing/global-setup.ts'],
    // Each file still gets its own database and app; starting them takes a moment.
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Files spend much of their time waiting (jobs, timers, child processes): two at once even on
    // a 2-core machine, where vitest's default (cores - 1) would run them one by one.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    // `include` lives in each project only: a root one would be merged into both, running every
    // file twice.
    projects: [
      {
        extends: true,
        test: {
          name: 'shared',
          include: ['src/**/*.test.ts'],
          exclude: [...configDefaults.exclude, ...needsIsolation],
          // Importing the whole app again for every file was most of the suite's time; files share
          // a worker's modules instead (each still builds its own app and database).
          isolate: false,
        },
      },
      { extends: true, test: { name: 'isolated', include: needsIsolation } },
      // The web app in a real browser (Debian chromium driven by playwright-core), against a real
      // Parley on a port.
      { extends: true, test: { name: 'browser', include: ['web/e2e/**/*.test.ts'] } },
    ],
  },
});
