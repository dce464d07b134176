import type { Consumer } from 'kafkajs';

/** Every state a consumer reports on /health (also the OpenAPI document's enum). */
export const CONSUMER_STATES = [
  'created',
  'connecting',
  'joining',
  'member',
  'rebalancing',
  'restarting',
  'crashed',
  'stopping',
  'stopped',
] as const;

export type ConsumerState = (typeof CONSUMER_STATES)[number];

export interface ConsumerHealth {
  readonly groupId: string;
  readonly topics: readonly string[];
  readonly state: ConsumerState;
  /** Consuming as a member of its group (a rebalance in progress counts: it is routine). */
  readonly healthy: boolean;
  readonly memberId: string | undefined;
  readonly joins: number;
  readonly pausedPartitions: number;
  readonly lastError: string | undefined;
}

/**
 * Follows a kafkajs consumer's instrumentation events to tell whether it is a live member of its
 * group. A crash kafkajs does not restart from leaves it 'crashed' for good: the health endpoint
 * then fails and the orchestrator replaces the instance.
 */
export class ConsumerHealthTracker {
  state: ConsumerState = 'created';
  memberId: string | undefined;
  joins = 0;
  pausedPartitions = 0;
  lastError: string | undefined;

  constructor(
    readonly groupId: string,
    readonly topics: readonly string[],
  ) {}

  follow(consumer: Consumer): void {
    const { events } = consumer;
    consumer.on(events.CONNECT, () => this.moveTo('joining'));
    consumer.on(events.GROUP_JOIN, ({ payload }) => {
      this.joins += 1;
      this.memberId = payload.memberId;
      this.moveTo('member');
    });
    consumer.on(events.REBALANCING, () => this.moveTo('rebalancing'));
    consumer.on(events.CRASH, ({ payload }) => {
      this.lastError = `${payload.error.name}: ${payload.error.message}`;
      this.moveTo(payload.restart ? 'restarting' : 'crashed');
    });
    consumer.on(events.STOP, () => this.moveTo('stopped'));
  }

  moveTo(state: ConsumerState): void {
    // Only a new start leaves 'crashed' or 'stopping'; late events of the old run do not.
    if (
      (this.state === 'crashed' || this.state === 'stopping') &&
      state !== 'stopped' &&
      state !== 'connecting'
    ) {
      return;
    }
    this.state = state;
  }

  report(): ConsumerHealth {
    return {
      groupId: this.groupId,
      topics: this.topics,
      state: this.state,
      healthy: this.state === 'member' || this.state === 'rebalancing',
      memberId: this.memberId,
      joins: this.joins,
      pausedPartitions: this.pausedPartitions,
      lastError: this.lastError,
    };
  }
}
