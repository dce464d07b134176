import { InvalidEventError, RegistryUnavailableError, StoreUnavailableError } from '@genstream/errors';
import type { EachBatchPayload, KafkaMessage } from 'kafkajs';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { jsonCodec, type TestEvents } from '../test/support/json-codec.js';
import { BatchOutcome, type BatchHandler } from './batch-outcome.js';
import { BatchProcessor } from './batch-processor.js';
import type { EventDecoder } from './codec.js';
import type { ConsumedRecordOf } from './consumed-record.js';
import type { FailedRecord } from './dead-letter-writer.js';
import { silentLogger } from './logger.js';
import { KafkaMetrics } from './metrics.js';
import { RetryScheduler } from './retry-scheduler.js';

type Ping = ConsumedRecordOf<TestEvents, 'Ping'>;
const codec = jsonCodec();

async function messages(count: number, from = 100): Promise<KafkaMessage[]> {
  return Promise.all(
    Array.from({ length: count }, async (_, i) => ({
      key: Buffer.from(`r${i}`),
      value: await codec.encode('Ping', { requestId: `r${i}`, n: i }),
      timestamp: '1700000000000',
      attributes: 0,
      offset: String(from + i),
      headers: {},
    })),
  );
}

/** A kafkajs eachBatch payload double that records what the processor does with it. */
function fakePayload(batchMessages: KafkaMessage[], log: string[], running = () => true): EachBatchPayload {
  const last = batchMessages.at(-1)!.offset;
  return {
    batch: {
      topic: 'pings',
      partition: 0,
      highWatermark: String(Number(last) + 1),
      messages: batchMessages,
      isEmpty: () => batchMessages.length === 0,
      firstOffset: () => batchMessages[0]!.offset,
      lastOffset: () => last,
      offsetLag: () => '0',
      offsetLagLow: () => '0',
    },
    resolveOffset: (offset) => log.push(`resolve ${offset}`),
    heartbeat: async () => {},
    pause: () => () => {},
    commitOffsetsIfNecessary: async (offsets) => {
      log.push(`commit ${offsets?.topics[0]?.partitions[0]?.offset}`);
    },
    uncommittedOffsets: () => ({ topics: [] }),
    isRunning: running,
    isStale: () => false,
  };
}

interface SetupOptions {
  dlqFails?: boolean;
  maxBatchRecords?: number;
  codec?: EventDecoder<TestEvents>;
}

function setup(handler: BatchHandler<Ping>, options: SetupOptions = {}) {
  const log: string[] = [];
  const deadLetters: FailedRecord[] = [];
  const retries = new RetryScheduler(
    { pause: () => log.push('pause'), resume: () => log.push('resume') },
    { baseMs: 60_000, maxMs: 60_000 },
  );
  const processor = new BatchProcessor<TestEvents, 'Ping'>({
    groupId: 'g',
    codec: options.codec ?? codec,
    eventOfTopic: () => 'Ping',
    handler,
    deadLetters: {
      write: async (records) => {
        if (options.dlqFails) throw new StoreUnavailableError('broker down');
        log.push(`dead-letter ${records.map((r) => r.message.offset).join(',')}`);
        deadLetters.push(...records);
      },
    },
    retries,
    seek: (_topic, _partition, offset) => log.push(`seek ${offset}`),
    metrics: new KafkaMetrics(new Registry()),
    logger: silentLogger,
    maxBatchRecords: options.maxBatchRecords ?? 500,
    heartbeatIntervalMs: 1_000,
  });
  return { processor, log, deadLetters, retries };
}

describe('BatchProcessor', () => {
  it('hands decoded records to one handler call and commits after the last one', async () => {
    const calls: Ping[][] = [];
    const { processor, log } = setup(async (records) => {
      calls.push([...records]);
    });
    await processor.process(fakePayload(await messages(5), log));
    expect(calls).toHaveLength(1);
    expect(calls[0]!.map((r) => [r.offset, r.key, r.event.n, r.name])).toEqual([
      ['100', 'r0', 0, 'Ping'],
      ['101', 'r1', 1, 'Ping'],
      ['102', 'r2', 2, 'Ping'],
      ['103', 'r3', 3, 'Ping'],
      ['104', 'r4', 4, 'Ping'],
    ]);
    expect(log).toEqual(['resolve 104', 'commit 105']);
  });

  it('dead-letters undecodable bytes without showing them to the handler, and before committing', async () => {
    const batch = await messages(4);
    batch[1] = { ...batch[1]!, value: Buffer.from('garbage') };
    batch[2] = { ...batch[2]!, value: null };
    const seen: string[] = [];
    const { processor, log, deadLetters } = setup(async (records) => {
      seen.push(...records.map((r) => r.offset));
    });
    await processor.process(fakePayload(batch, log));
    expect(seen).toEqual(['100', '103']);
    expect(log).toEqual(['dead-letter 101,102', 'resolve 103', 'commit 104']);
    expect(deadLetters.map((d) => (d.error as { code: string }).code)).toEqual([
      'EVENT_BAD_MAGIC',
      'EVENT_TRUNCATED',
    ]);
  });

  it('on a retriable handler error commits nothing, seeks back to the first record and pauses', async () => {
    const { processor, log, retries } = setup(async () => {
      throw new StoreUnavailableError('down');
    });
    await processor.process(fakePayload(await messages(3), log));
    expect(log).toEqual(['seek 100', 'pause']);
    expect(retries.attemptsOf('pings', 0)).toBe(1);
    retries.cancelAll();
  });

  it('commits up to a per-record retriable failure, dead-letters only before it', async () => {
    const { processor, log, retries } = setup(async (records) =>
      BatchOutcome.failed(
        { record: records[1]!, error: new InvalidEventError('bad') },
        { record: records[3]!, error: new StoreUnavailableError('row timeout') },
        { record: records[4]!, error: new InvalidEventError('bad too, but after the retry point') },
      ),
    );
    await processor.process(fakePayload(await messages(6), log));
    expect(log).toEqual(['dead-letter 101', 'resolve 102', 'commit 103', 'seek 103', 'pause']);
    retries.cancelAll();
  });

  it('stops at a retriable decode error (registry down): earlier records go on, later ones wait', async () => {
    const batch = await messages(4);
    let calls = 0;
    const failing: EventDecoder<TestEvents> = {
      decode: async (name, bytes) => {
        calls += 1;
        if (bytes.toString().includes('"n":2')) throw new RegistryUnavailableError('registry 503');
        return codec.decode(name, bytes);
      },
    };
    const seen: string[] = [];
    const { processor, log, retries } = setup(
      async (records) => {
        seen.push(...records.map((r) => r.offset));
      },
      { codec: failing },
    );
    await processor.process(fakePayload(batch, log));
    expect(calls).toBe(4);
    expect(seen).toEqual(['100', '101']);
    expect(log).toEqual(['resolve 101', 'commit 102', 'seek 102', 'pause']);
    retries.cancelAll();
  });

  it('never commits past a dead letter Kafka did not acknowledge', async () => {
    const { processor, log, retries } = setup(
      async (records) => BatchOutcome.failed({ record: records[2]!, error: new InvalidEventError('bad') }),
      { dlqFails: true },
    );
    await processor.process(fakePayload(await messages(5), log));
    expect(log).toEqual(['resolve 101', 'commit 102', 'seek 102', 'pause']);
    retries.cancelAll();
  });

  it('hands large fetches over in slices, committing each, and stops between slices on shutdown', async () => {
    const calls: number[] = [];
    let running = true;
    const { processor, log } = setup(
      async (records) => {
        calls.push(records.length);
        if (calls.length === 2) running = false;
      },
      { maxBatchRecords: 4 },
    );
    await processor.process(fakePayload(await messages(10), log, () => running));
    expect(calls).toEqual([4, 4]);
    expect(log).toEqual(['resolve 103', 'commit 104', 'resolve 107', 'commit 108']);
  });
});
