import type { ESLint } from 'eslint';

declare const house: ESLint.Plugin & { rules: NonNullable<ESLint.Plugin['rules']> };
export default house;
