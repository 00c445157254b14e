import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    // Migrates one template database per run; each file's database starts as a copy of it.
    globalSetup: ['src/testing/global-setup.ts'],
    // Each file still gets its own database and app; starting them takes a moment.
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Files spend much of their time waiting (jobs, timers, child processes): two at once even on
    // a 2-core machine, where vitest's default (cores - 1) would run them one by one.
    maxWorkers: Math.max(2, availableParallelism() - 1),
  },
});
