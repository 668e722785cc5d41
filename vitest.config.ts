import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['**/*.test.ts', '**/*.test.tsx'],
    // build/packaging.test.ts opens the built packages: `npm run test:dist` builds them and runs it.
    exclude: ['**/node_modules/**', 'out/**', 'dist/**', 'e2e/specs/**', 'build/packaging.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Two cores here: real-data tests are I/O and CPU heavy, run files two at a time.
    maxWorkers: 2,
  },
});
