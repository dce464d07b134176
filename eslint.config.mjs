// One lint setup for every workspace. Type-aware rules catch the async mistakes that lose
// Kafka offsets or writes: floating promises, misused promises, non-exhaustive switches. The house
// rules keep the layout: product below tooling, drivers only where the stores are touched, small
// files and functions.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import house from './tools/lint/src/house-rules.mjs';

const DRIVERS = ['kafkajs', 'pg', 'mongodb', 'ioredis'];

export default tseslint.config(
  { ignores: ['**/node_modules/', '**/dist/', '.stack/', '.bench/', '**/*.cjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': [
        'error',
        { considerDefaultExhaustiveForUnions: true },
      ],
      // Handlers often satisfy a Promise-returning interface without awaiting anything.
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', ignoreRestSiblings: true }],
    },
  },
  {
    files: ['**/*.ts'],
    plugins: { house },
    rules: {
      'house/no-relative-across-workspaces': 'error',
      'house/layered-imports': 'error',
      'house/service-layers': 'error',
      // A reader takes a file in at one sitting and a function at a glance.
      'max-lines': ['error', { max: 400 }],
      'max-lines-per-function': ['error', { max: 80, skipBlankLines: true, skipComments: true }],
    },
  },
  {
    // Tests read as one describe block of many cases; generated code and data tables are not read as code.
    files: ['**/*.test.ts', '**/generated/**', 'tools/faults/src/http-fuzz-cases.ts'],
    rules: { 'max-lines-per-function': 'off' },
  },
  {
    files: ['**/generated/**', 'tools/faults/src/http-fuzz-cases.ts'],
    rules: { 'max-lines': 'off' },
  },
  {
    // Product code touches a driver only where a store is: repositories, providers, the Kafka
    // runtime and the service store clients. Tests check the stores directly.
    files: ['libs/**/*.ts', 'services/**/*.ts'],
    ignores: [
      'libs/kafka/**',
      'libs/service/src/stores/**',
      '**/repositories/**',
      '**/*.provider.ts',
      '**/*.test.ts',
      '**/test/**',
    ],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: DRIVERS.map((name) => ({
            name,
            message: 'Drivers belong in repositories, providers, libs/kafka or the service store clients.',
          })),
        },
      ],
    },
  },
  {
    files: ['**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
  },
);
