import {
  Inject,
  Injectable,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import type { EventMap } from '../codec.js';
import type { KafkaRuntime } from '../kafka-runtime.js';
import { KAFKA_RUNTIME } from './tokens.js';

/**
 * Starts the runtime once every module is initialised (services register their consumers in
 * onModuleInit) and stops it in beforeApplicationShutdown, that is before the HTTP server closes
 * and before onApplicationShutdown: services close their store clients there, after the batch in
 * flight was finished and committed.
 */
@Injectable()
export class KafkaRuntimeLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown {
  constructor(@Inject(KAFKA_RUNTIME) private readonly runtime: KafkaRuntime<EventMap>) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.runtime.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.runtime.stop();
  }
}
