import { TruncatedEventError, errorCode, isRetriable } from '@genstream/errors';
import type { EachBatchPayload, KafkaMessage } from 'kafkajs';
import type { BatchContext, BatchHandler } from './batch-outcome.js';
import type { EventDecoder, EventMap, EventNameOf } from './codec.js';
import { toConsumedRecord, type ConsumedRecordOf } from './consumed-record.js';
import type { FailedRecord } from './dead-letter-writer.js';
import { handleIsolatingPoison } from './isolate.js';
import { errorText, type Logger } from './logger.js';
import type { KafkaMetrics } from './metrics.js';
import type { RetryScheduler } from './retry-scheduler.js';
import { planCommit, settlementOf, type CommitPlan, type Settlement } from './settlement.js';
import { traceBatch } from './tracing.js';

export interface BatchProcessorDeps<M extends EventMap, N extends EventNameOf<M>> {
  readonly groupId: string;
  readonly codec: EventDecoder<M>;
  readonly eventOfTopic: (topic: string) => N;
  readonly handler: BatchHandler<ConsumedRecordOf<M, N>>;
  readonly deadLetters: { write(records: readonly FailedRecord[]): Promise<void> };
  readonly retries: RetryScheduler;
  /** Makes the next fetch of the partition start at `offset` (kafkajs consumer.seek). */
  readonly seek: (topic: string, partition: number, offset: string) => void;
  readonly metrics: KafkaMetrics;
  readonly logger: Logger;
  readonly maxBatchRecords: number;
  readonly heartbeatIntervalMs: number;
}

/**
 * Processes what kafkajs' eachBatch hands over (one partition's fetched records), in slices of at
 * most maxBatchRecords: decode, one handler call per slice, dead letters, commit, and on a
 * retriable failure seek back, pause the partition and retry after a backoff.
 *
 * Commit order is what makes delivery at-least-once with nothing lost: the offset moves past a
 * record only after the handler's writes for it succeeded or its dead letter was acknowledged.
 */
export class BatchProcessor<M extends EventMap, N extends EventNameOf<M>> {
  constructor(private readonly deps: BatchProcessorDeps<M, N>) {}

  async process(payload: EachBatchPayload): Promise<void> {
    const { messages } = payload.batch;
    const size = this.deps.maxBatchRecords;
    for (let start = 0; start < messages.length; start += size) {
      // Shutdown finishes the slice in flight, not the rest of the fetch; it is not committed and
      // the partition's next owner reads it.
      if (start > 0 && (!payload.isRunning() || payload.isStale())) return;
      const goOn = await this.processSlice(payload, messages.slice(start, start + size));
      if (!goOn) return;
    }
  }

  /** Returns false when the partition was paused to retry. */
  private async processSlice(payload: EachBatchPayload, messages: readonly KafkaMessage[]): Promise<boolean> {
    const { topic, partition } = payload.batch;
    const { metrics, groupId } = this.deps;
    const labels = { topic, group: groupId };
    const endTimer = metrics.batchDuration.startTimer(labels);
    metrics.recordsReceived.inc(labels, messages.length);

    const settlements = await this.settle(payload, messages);
    const offsets = messages.map((message) => message.offset);
    let plan = planCommit(offsets, settlements);
    if (plan.deadLetters.length > 0) {
      try {
        await this.writeDeadLetters(topic, partition, messages, plan);
      } catch (error) {
        // Without an acknowledged dead letter the record is not finished: retry from it later.
        this.deps.logger.warn('dead letters not acknowledged; will retry', {
          topic,
          partition,
          error: errorText(error),
        });
        for (const { offset } of plan.deadLetters) settlements.set(offset, { kind: 'retry', error });
        plan = planCommit(offsets, settlements);
      }
    }
    if (plan.commitOffset !== undefined) await this.commit(payload, plan.commitOffset);

    metrics.recordsHandled.inc(labels, plan.handled.length);
    for (const { error } of plan.deadLetters) {
      metrics.recordsFailed.inc({ ...labels, code: errorCode(error), retriable: 'false' });
      metrics.recordsDeadLettered.inc({ ...labels, code: errorCode(error) });
    }
    const position = BigInt(plan.commitOffset ?? offsets[0]!);
    metrics.lag.set(
      { ...labels, partition: String(partition) },
      Number(BigInt(payload.batch.highWatermark) - position),
    );
    endTimer();

    if (!plan.retry) {
      this.deps.retries.succeeded(topic, partition);
      return true;
    }
    metrics.recordsFailed.inc({
      ...labels,
      code: errorCode(plan.retry.error),
      retriable: String(isRetriable(plan.retry.error)),
    });
    metrics.retries.inc(labels);
    this.deps.seek(topic, partition, plan.retry.offset);
    const attempt = this.deps.retries.attemptsOf(topic, partition) + 1;
    const delayMs = this.deps.retries.pauseAndRetryLater(topic, partition);
    this.deps.logger.warn('retriable failure: partition paused, retrying later', {
      topic,
      partition,
      offset: plan.retry.offset,
      code: errorCode(plan.retry.error),
      reason: errorText(plan.retry.error),
      attempt,
      delayMs,
    });
    return false;
  }

  /** Decodes every record, then runs the handler on those that decoded. */
  private async settle(
    payload: EachBatchPayload,
    messages: readonly KafkaMessage[],
  ): Promise<Map<string, Settlement>> {
    const { topic, partition } = payload.batch;
    const name = this.deps.eventOfTopic(topic);
    const settlements = new Map<string, Settlement>();
    const decoded = await Promise.all(messages.map((message) => this.decode(name, message)));
    const records: ConsumedRecordOf<M, N>[] = [];
    for (const [index, message] of messages.entries()) {
      const result = decoded[index]!;
      if ('error' in result) {
        // Undecodable bytes never reach the handler. A registry outage (retriable) stops here:
        // records after it wait with it rather than overtake it.
        const settlement = settlementOf(result.error);
        settlements.set(message.offset, settlement);
        if (settlement.kind === 'retry') break;
      } else {
        records.push(toConsumedRecord(name, result.event, topic, partition, message));
      }
    }
    if (records.length === 0) return settlements;
    const context: BatchContext = {
      topic,
      partition,
      heartbeat: () => payload.heartbeat(),
      isRunning: () => payload.isRunning(),
    };
    const batchTrace = traceBatch(this.deps.groupId, records);
    const handled = await this.keepingHeartbeats(payload, () =>
      batchTrace.run(() => handleIsolatingPoison(records, (group) => this.deps.handler(group, context))),
    );
    const failed = new Map<string, string>();
    for (const [offset, settlement] of handled) {
      settlements.set(offset, settlement);
      if (settlement.kind !== 'done')
        failed.set(offset, `${settlement.kind}: ${errorCode(settlement.error)}`);
    }
    batchTrace.end(failed);
    return settlements;
  }

  private async decode(name: N, message: KafkaMessage): Promise<{ event: M[N] } | { error: unknown }> {
    if (!message.value || message.value.length === 0) {
      return { error: new TruncatedEventError('record has no value') };
    }
    try {
      return { event: await this.deps.codec.decode(name, message.value) };
    } catch (error) {
      return { error };
    }
  }

  private async writeDeadLetters(
    topic: string,
    partition: number,
    messages: readonly KafkaMessage[],
    plan: CommitPlan,
  ): Promise<void> {
    const byOffset = new Map(messages.map((message) => [message.offset, message]));
    await this.deps.deadLetters.write(
      plan.deadLetters.map(({ offset, error }) => ({
        topic,
        partition,
        message: byOffset.get(offset)!,
        error,
      })),
    );
    for (const { offset, error } of plan.deadLetters) {
      this.deps.logger.warn('record dead-lettered', { topic, partition, offset, code: errorCode(error) });
    }
  }

  private async commit(payload: EachBatchPayload, commitOffset: string): Promise<void> {
    const { topic, partition } = payload.batch;
    const last = payload.batch.messages.at(-1)?.offset;
    // Past the last record of the fetch, commit past any transaction markers after it too, as
    // kafkajs' own resolveOffset does, so a restart does not land on them.
    const offset =
      last !== undefined && BigInt(commitOffset) === BigInt(last) + 1n
        ? (BigInt(payload.batch.lastOffset()) + 1n).toString()
        : commitOffset;
    payload.resolveOffset((BigInt(commitOffset) - 1n).toString());
    await payload.commitOffsetsIfNecessary({ topics: [{ topic, partitions: [{ partition, offset }] }] });
  }

  /**
   * The coordinator evicts a member that sends no heartbeat for sessionTimeout. kafkajs only sends
   * them between batches, so while a slow handler runs the runtime sends them on a timer.
   */
  private async keepingHeartbeats<T>(payload: EachBatchPayload, work: () => Promise<T>): Promise<T> {
    const timer = setInterval(() => {
      payload.heartbeat().catch((error: unknown) => {
        // A rebalance shows up here first; the commit after the batch reports it to kafkajs.
        this.deps.logger.debug('heartbeat during batch failed', { error: errorText(error) });
      });
    }, this.deps.heartbeatIntervalMs);
    try {
      return await work();
    } finally {
      clearInterval(timer);
    }
  }
}
