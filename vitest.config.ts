import { defineConfig } from 'vitest/config';

const everyWorkspace = (pattern: string) => [
  `libs/*/${pattern}`,
  `services/*/${pattern}`,
  `tools/*/${pattern}`,
];

// One configuration for the whole repo. Unit tests need nothing; integration tests
// (`*.int.test.ts`) share the real servers that the harness's global setup provides once.
export default defineConfig({
  test: {
    // CI also keeps a JSON report, from which .ci/run prints its plain "N passed, N failed" line.
    reporters: process.env.CI ? ['default', 'json'] : ['default'],
    outputFile: { json: '.test-results/vitest.json' },
    projects: [
      {
        test: {
          name: 'unit',
          include: everyWorkspace('{src,test}/**/*.test.ts'),
          exclude: ['**/*.int.test.ts', '**/*.faults.test.ts', '**/node_modules/**'],
        },
      },
      {
        test: {
          name: 'integration',
          include: everyWorkspace('{src,test}/**/*.int.test.ts'),
          globalSetup: ['tools/testing/src/global-setup.ts'],
          // Generous ceilings: a loaded 2-core machine is slow, and a passing test never waits for them.
          testTimeout: 180_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
