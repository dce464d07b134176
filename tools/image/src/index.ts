export { assembleImage, type AssembledImage } from './assemble.js';
export { resolveInstalled, runtimeDependencies, runtimeLock, type Lockfile } from './runtime-lock.js';
