export { CacheUpdaterModule } from './cache-updater.module.js';
export { SERVICE_NAME, configSchema, type Config } from './config.js';
export { CacheWriter, type CacheRecord, type CacheStore } from './services/cache-writer.service.js';
