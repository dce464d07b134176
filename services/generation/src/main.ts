import { bootstrapService, createServiceLogger, startFailed } from '@genstream/service';
import { loadGenerationConfig } from './config.js';
import { GenerationModule } from './generation.module.js';

// `tsx services/generation/src/main.ts`: reads the environment once, then serves until SIGTERM.
const SERVICE = 'generation';

try {
  const config = loadGenerationConfig();
  const logger = createServiceLogger(SERVICE, config.LOG_LEVEL);
  await bootstrapService({ name: SERVICE, module: GenerationModule.forRoot(), config, logger });
} catch (error) {
  startFailed(SERVICE, error);
}
