import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['e2e/**/*.e2e.ts'],
    globalSetup: ['server/testing/global-setup.ts', 'e2e/support/build-board.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Each file drives its own Chromium: two at once is what two cores take.
    maxWorkers: 2,
  },
});
