import { EVENT_SCHEMAS } from './generated/events.js';

/**
 * Schemas by record name, then by version: `{ GenerationRequested: { 1: {...} } }`. The newest
 * version of a name is what encode writes and what decode reads into. Injectable so tests can run
 * the codec on fixture schemas; production uses the generated set.
 */
export type SchemaSet = { readonly [name: string]: { readonly [version: number]: object } };

export const DEFAULT_SCHEMAS: SchemaSet = EVENT_SCHEMAS;
