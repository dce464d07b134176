export { buildAll, staleReason, type BuildResult } from './build.js';
export { buildEntries, outputOf, type BuildEntry } from './entries.js';
