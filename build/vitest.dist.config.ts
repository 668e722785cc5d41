import { defineConfig } from 'vitest/config';

// The packaging checks only (`npm run test:dist`), after build/testDist.mjs has built dir, tar.gz and deb.
export default defineConfig({
  test: {
    include: ['build/packaging.test.ts'],
    testTimeout: 240_000,
    hookTimeout: 240_000,
    maxWorkers: 1,
  },
});
