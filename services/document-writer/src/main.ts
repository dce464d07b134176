import { loadConfig } from '@genstream/config';
import { bootstrapService, createServiceLogger, startFailed } from '@genstream/service';
import { SERVICE_NAME, configSchema } from './config.js';
import { DocumentWriterModule } from './document-writer.module.js';

try {
  const config = loadConfig(configSchema);
  const logger = createServiceLogger(SERVICE_NAME, config.LOG_LEVEL);
  await bootstrapService({ name: SERVICE_NAME, module: DocumentWriterModule, config, logger });
} catch (error) {
  startFailed(SERVICE_NAME, error);
}
