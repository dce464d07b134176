import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { aContentGenerated } from '@genstream/events/testing';
import { describe, expect, it } from 'vitest';
import {
  eventually,
  kafkaSlice,
  sliceRuntime,
  sliceTopics,
  type KafkaSlice,
  type SliceTopics,
} from './support/kafka-slice.js';

const FIXTURE = fileURLToPath(new URL('./fixtures/consumer-process.ts', import.meta.url));
const REPO_ROOT = fileURLToPath(new URL('../../..', import.meta.url));

interface Line {
  event: string;
  count?: number;
  running?: boolean;
  clean?: boolean;
}

/** Runs the fixture consumer in a child process (node with the tsx loader). */
function consumerProcess(
  kafka: KafkaSlice,
  topics: Record<string, string>,
  groupId: string,
  mode: 'kill' | 'term',
) {
  const child = spawn(process.execPath, ['--import', 'tsx', FIXTURE], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      FIXTURE_MODE: mode,
      FIXTURE_BROKERS: kafka.brokers.join(','),
      FIXTURE_TOPICS: JSON.stringify(topics),
      FIXTURE_GROUP: groupId,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: Line[] = [];
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  createInterface({ input: child.stdout }).on('line', (line) => {
    try {
      lines.push(JSON.parse(line) as Line);
    } catch {
      // not one of ours (a stray log line)
    }
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, lines, exited, stderr: () => stderr };
}

async function publish(kafka: KafkaSlice, topics: SliceTopics, count: number) {
  const { runtime } = sliceRuntime(kafka, 'publisher', { topics, partitions: 1 });
  await runtime.start();
  const events = Array.from({ length: count }, () => aContentGenerated());
  await runtime.publisher.publishMany('ContentGenerated', events);
  await runtime.stop();
  return events;
}

function kill(child: ChildProcess) {
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
}

describe('process exits (real broker, consumer in a child process)', () => {
  it('a consumer killed before its commit leaves the batch to the next member of the group', async () => {
    await using kafka = await kafkaSlice('killed');
    const topics = sliceTopics(kafka);
    const groupId = kafka.groupId('killed');
    const events = await publish(kafka, topics, 30);

    const doomed = consumerProcess(kafka, topics, groupId, 'kill');
    try {
      const { signal } = await doomed.exited;
      expect(signal).toBe('SIGKILL');
      expect(doomed.lines.find((line) => line.event === 'batch')?.count).toBe(30);
    } finally {
      kill(doomed.child);
    }
    expect(await kafka.committedTotal(groupId, topics.ContentGenerated)).toBe(0);

    // A new member of the same group gets the whole batch again (once the dead member's session
    // expired), then commits it.
    const { runtime } = sliceRuntime(kafka, 'successor', {
      topics,
      partitions: false,
      consumer: { sessionTimeoutMs: 6_000, heartbeatIntervalMs: 1_000 },
    });
    const received: string[] = [];
    runtime.consume({
      groupId,
      events: ['ContentGenerated'],
      handler: async (records) => {
        received.push(...records.map((r) => r.event.contentId));
      },
    });
    await runtime.start();
    try {
      await eventually(() => received.length >= 30, 'the batch again', 40_000);
      expect(received.sort()).toEqual(events.map((e) => e.contentId).sort());
      await eventually(
        async () => (await kafka.committedTotal(groupId, topics.ContentGenerated)) === 30,
        'the batch committed',
        10_000,
      );
    } finally {
      await runtime.stop();
    }
  });

  it('SIGTERM during a batch: the batch finishes, is committed, the member leaves, the process exits 0', async () => {
    await using kafka = await kafkaSlice('sigterm');
    const topics = sliceTopics(kafka);
    const groupId = kafka.groupId('sigterm');
    await publish(kafka, topics, 25);

    const worker = consumerProcess(kafka, topics, groupId, 'term');
    try {
      await eventually(
        () => worker.lines.some((line) => line.event === 'batch'),
        'a batch in flight',
        30_000,
      );
      worker.child.kill('SIGTERM');
      const { code } = await worker.exited;
      expect(code, worker.stderr()).toBe(0);
      const events = worker.lines.map((line) => line.event);
      expect(events).toEqual(['started', 'batch', 'stopping', 'handled', 'stopped']);
      // The handler finished after shutdown had begun, and stopping was clean.
      expect(worker.lines.find((line) => line.event === 'handled')).toMatchObject({
        count: 25,
        running: false,
      });
      expect(worker.lines.at(-1)).toMatchObject({ clean: true });
    } finally {
      kill(worker.child);
    }
    expect(await kafka.committedTotal(groupId, topics.ContentGenerated)).toBe(25);
    // It left the group rather than waiting to be timed out.
    const [group] = (await kafka.admin.describeGroups([groupId])).groups;
    expect(group?.members).toEqual([]);
  });
});
