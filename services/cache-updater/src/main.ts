import { loadConfig } from '@genstream/config';
import { bootstrapService, createServiceLogger, startFailed } from '@genstream/service';
import { CacheUpdaterModule } from './cache-updater.module.js';
import { SERVICE_NAME, configSchema } from './config.js';

try {
  const config = loadConfig(configSchema);
  const logger = createServiceLogger(SERVICE_NAME, config.LOG_LEVEL);
  await bootstrapService({ name: SERVICE_NAME, module: CacheUpdaterModule, config, logger });
} catch (error) {
  startFailed(SERVICE_NAME, error);
}
