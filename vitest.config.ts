import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Terraform and the emulator are real processes: give them room, and keep files apart.
    maxWorkers: 2,
    reporters: ['default'],
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          exclude: ['test/e2e/**', '**/node_modules/**'],
          testTimeout: 120_000,
          hookTimeout: 300_000,
          pool: 'forks',
          sequence: { groupOrder: 0 },
        },
      },
      {
        // End-to-end: ONE sandbox (berth sandbox up) for every file, brought up by the global setup
        // only when e2e files are queued, torn down at the end; files one at a time, after the unit group.
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          globalSetup: ['test/e2e/global-setup.ts'],
          fileParallelism: false,
          testTimeout: 300_000,
          hookTimeout: 900_000,
          pool: 'forks',
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
