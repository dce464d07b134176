import { defineConfig } from 'vitest/config';

// npm run test:faults: the fault suite, on a stack of its own (see tools/faults). Its cases stop
// servers and kill services, so they run one file at a time, never beside other tests.
export default defineConfig({
  test: {
    name: 'faults',
    include: ['tools/faults/test/**/*.faults.test.ts'],
    globalSetup: ['tools/faults/src/global-setup.ts'],
    fileParallelism: false,
    sequence: { concurrent: false },
    testTimeout: 600_000,
    hookTimeout: 180_000,
    reporters: process.env.CI ? ['default', 'json'] : ['default'],
    outputFile: { json: '.test-results/faults.json' },
  },
});
