import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['**/*.test.ts', '**/*.test.tsx'],
    exclude: ['**/node_modules/**', 'out/**', 'dist/**', 'e2e/specs/**'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Two cores here: real-data tests are I/O and CPU heavy, run files two at a time.
    maxWorkers: 2,
  },
});
