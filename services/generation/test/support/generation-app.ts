import {
  startTestService,
  testApiKey,
  testTopics,
  type RunningService,
  type TestTopics,
} from '@genstream/service-testing';
import { serverEnv, testRedis, type TestRedis } from '@genstream/testing';
import { loadGenerationConfig, type GenerationConfig } from '../../src/config.js';
import { GenerationModule } from '../../src/generation.module.js';
import type { ModelGateway } from '../../src/services/ports.js';

/** The generation service booted in-process on its own topics (TOPIC_PREFIX) and Redis key prefix. */
export interface GenerationApp extends AsyncDisposable {
  readonly service: RunningService;
  readonly topics: TestTopics;
  readonly redis: TestRedis;
  readonly config: GenerationConfig;
}

export async function startGeneration(
  label: string,
  options: { readonly model?: ModelGateway; readonly env?: Record<string, string> } = {},
): Promise<GenerationApp> {
  const topics = await testTopics(label);
  const redis = await testRedis(label);
  const config = loadGenerationConfig({
    ...topics.env,
    REDIS_URL: serverEnv().REDIS_URL,
    PORT: '0',
    KAFKA_PARTITIONS: '1',
    ...options.env,
  });
  let service: RunningService;
  try {
    const apiKey = await testApiKey(redis);
    service = await startTestService({
      apiKey,
      name: 'generation',
      module: GenerationModule.forRoot({
        redisKeyPrefix: redis.prefix,
        model: options.model,
        kafka: { consumer: { maxWaitMs: 200 } },
      }),
      config,
    });
  } catch (error) {
    await redis[Symbol.asyncDispose]();
    await topics[Symbol.asyncDispose]();
    throw error;
  }
  return {
    service,
    topics,
    redis,
    config,
    async [Symbol.asyncDispose]() {
      await service[Symbol.asyncDispose]();
      await redis[Symbol.asyncDispose]();
      await topics[Symbol.asyncDispose]();
    },
  };
}
