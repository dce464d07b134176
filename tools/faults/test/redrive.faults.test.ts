// Poisoned, then fixed, then redriven: an upstream producer moves to the schema registry (its
// GenerationRequested now carry the Confluent framing) while genstream runs without
// SCHEMA_REGISTRY_URL, so generation dead-letters each as EVENT_UNKNOWN_SCHEMA ("no schema
// registry is configured to look it up"), in the middle of a steady stream. The fix: every
// service restarted with the registry configured. Then `dlq redrive` (the shipped bundle) with a
// dry run first, the redrive, and the same redrive again: each dead-lettered request ends in every
// store exactly once, and the second redrive publishes nothing.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { TOPICS, createEventCodec, deadLetterTopic, type GenerationRequested } from '@genstream/events';
import { aGenerationRequested } from '@genstream/events/testing';
import { DeadLetterTool, REDRIVE_HEADERS } from '@genstream/kafka';
import { repoRoot, stackDown, stackEnv, stackUp } from '@genstream/stack';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  FaultRig,
  FaultStack,
  FiguresFile,
  RequestStream,
  describeProblems,
  readTopicRange,
  reconcile,
  wipeStores,
} from '../src/index.js';

const UPSTREAM = 40;
const DLQ_BUNDLE = resolve(repoRoot(), 'libs/service/dist/cli/dlq.js');

/** `node libs/service/dist/cli/dlq.js ...args`, as a deployment runs it from the image. */
async function dlq(brokers: string, args: readonly string[]): Promise<string> {
  const { stdout } = await promisify(execFile)(process.execPath, [DLQ_BUNDLE, ...args], {
    env: { PATH: process.env.PATH, KAFKA_BROKERS: brokers },
    timeout: 120_000,
  });
  return stdout;
}

/** Requests like the stream's (distinct prompts), from a producer that writes the Confluent framing. */
function upstreamRequests(): GenerationRequested[] {
  const run = Math.random().toString(36).slice(2, 8);
  return Array.from({ length: UPSTREAM }, (_, i) =>
    aGenerationRequested({
      userId: 7_000_000 + i,
      title: `redrive upstream ${run} #${i}`,
      prompt: `Summarise batch import ${run}-${i}: ${(i * 31) % 97} rows were skipped. Keep it short.`,
      requestedAt: Date.now(),
    }),
  );
}

describe('dead-letter redrive after a schema fix', () => {
  const settings = inject('faultStack');
  const figures = new FiguresFile(inject('figuresPath'));
  const stack = new FaultStack(settings);
  let registryStarted = false;
  let registryUrl: string;
  let rig: FaultRig | undefined;

  beforeAll(async () => {
    registryStarted = (await stackUp(stack.config, ['registry'])).started.includes('registry');
    registryUrl = stackEnv(stack.config, ['registry']).SCHEMA_REGISTRY_URL!;
    // As deployed before the fix: no SCHEMA_REGISTRY_URL.
    rig = await FaultRig.open(settings);
  });
  afterAll(async () => {
    await rig?.close();
    if (registryStarted) await stackDown(stack.config, ['registry']);
  });

  it('dead-letters Confluent-framed requests without a registry, and redrives them once the registry is configured', async () => {
    let current = rig!;
    const brokers = current.brokers;
    const log = (line: string) => process.stderr.write(`[faults] redrive: ${line}\n`);
    await current.failOnCrash(current.waitAllCaughtUp());
    await wipeStores(current.reader);
    const caseStart = new Date();
    const before = await current.evidenceOffsets();
    const stream = await RequestStream.open({
      brokers,
      total: 600,
      perSecond: 120,
      invalidEvery: 50,
      tag: 'redrive',
    });
    const upstream = upstreamRequests();
    try {
      // The poison: mid-stream, the upstream producer's records, framed with a registry id.
      const publishing = stream.start();
      await stream.reached(200);
      const registryCodec = createEventCodec({ registry: { url: registryUrl } });
      const messages = await Promise.all(
        upstream.map(async (request) => ({
          key: request.requestId,
          value: await registryCodec.encode('GenerationRequested', request),
        })),
      );
      expect(messages.every((message) => message.value[0] === 0)).toBe(true);
      await current.probe.producer.send({ topic: TOPICS.GenerationRequested, messages });
      await current.failOnCrash(publishing);
      await current.failOnCrash(current.waitAllCaughtUp());

      // Poisoned: one dead letter per upstream request, the stream itself intact.
      const dlqTopic = deadLetterTopic(TOPICS.GenerationRequested);
      {
        await using tool = await DeadLetterTool.connect(brokers.split(','));
        const { letters } = await tool.find([dlqTopic], {
          codes: ['EVENT_UNKNOWN_SCHEMA'],
          since: caseStart,
        });
        expect(letters.map(({ letter }) => letter.key?.toString()).sort()).toEqual(
          upstream.map((request) => request.requestId).sort(),
        );
        for (const { letter } of letters) {
          expect(letter.service).toBe('generation');
          expect(letter.reason).toContain('no schema registry is configured');
        }
      }
      const midway = await current.evidenceBetween(before, await current.evidenceOffsets());
      expect(describeProblems(await reconcile(current.reader, stream, midway))).toEqual([]);

      // The fix: every service restarted with the registry configured.
      const fixStarted = Date.now();
      await current.close();
      rig = current = await FaultRig.open(settings, { SCHEMA_REGISTRY_URL: registryUrl });
      const fixSeconds = (Date.now() - fixStarted) / 1000;
      log(`services restarted with SCHEMA_REGISTRY_URL in ${fixSeconds.toFixed(1)} s`);

      // The redrive, with the shipped command: dry run, redrive, the same again.
      expect(existsSync(DLQ_BUNDLE), `${DLQ_BUNDLE} (built by npm run build)`).toBe(true);
      const filters = [
        '--topic',
        TOPICS.GenerationRequested,
        '--code',
        'EVENT_UNKNOWN_SCHEMA',
        '--since',
        caseStart.toISOString(),
      ];
      const listed = await dlq(brokers, ['list', ...filters]);
      log(
        `list:\n${listed.split('\n').slice(0, 4).join('\n')}\n...${listed.split('\n').slice(-2).join('\n')}`,
      );
      expect(listed).toContain(`${UPSTREAM} dead letters chosen`);
      const topicBefore = await current.probe.topicEnds(TOPICS.GenerationRequested);
      const dry = await dlq(brokers, ['redrive', ...filters, '--dry-run']);
      log(
        `redrive --dry-run:\n${dry.split('\n').slice(0, 3).join('\n')}\n...${dry.split('\n').slice(-2).join('\n')}`,
      );
      expect(dry).toContain(
        `${UPSTREAM} original records: ${UPSTREAM} would be published, 0 already redriven.`,
      );
      expect(await current.probe.topicEnds(TOPICS.GenerationRequested)).toEqual(topicBefore);
      const redriveStarted = Date.now();
      const done = await dlq(brokers, ['redrive', ...filters]);
      expect(done).toContain(`${UPSTREAM} original records: ${UPSTREAM} published, 0 already redriven.`);
      const again = await dlq(brokers, ['redrive', ...filters]);
      log(`redrive again: ${again.trim().split('\n').at(-1)}`);
      expect(again).toContain(`${UPSTREAM} original records: 0 published, ${UPSTREAM} already redriven.`);
      const redriven = await readTopicRange(
        current.probe.kafka,
        TOPICS.GenerationRequested,
        topicBefore,
        await current.probe.topicEnds(TOPICS.GenerationRequested),
      );
      expect(redriven).toHaveLength(UPSTREAM);
      expect(redriven.every((record) => record.headers[REDRIVE_HEADERS.original] !== undefined)).toBe(true);

      // Fixed: every request, the stream's and the upstream's, in every store exactly once.
      await current.failOnCrash(current.waitAllCaughtUp());
      const recoverySeconds = (Date.now() - redriveStarted) / 1000;
      const evidence = await current.evidenceBetween(before, await current.evidenceOffsets());
      const expected = { valid: [...stream.valid, ...upstream], invalid: stream.invalid };
      const reconciliation = await reconcile(current.reader, expected, evidence);
      figures.append({
        name: 'dead-letter redrive after a schema fix',
        published: stream.published + UPSTREAM,
        inFlight: 0,
        faultSeconds: fixSeconds,
        recoverySeconds,
        lost: reconciliation.lost,
        duplicated: reconciliation.duplicated,
        redelivered: reconciliation.redelivered,
        deadLettered: reconciliation.deadLetters.length,
        failed: stream.invalid.length - reconciliation.unreportedFailures.length,
        note: `${UPSTREAM} Confluent-framed requests dead-lettered without a registry; fixed, redriven: ${UPSTREAM} published, again 0`,
      });
      expect(describeProblems(reconciliation), current.serviceOutput.last(40).join('\n')).toEqual([]);
      // The only dead letters are the first attempts: nothing redriven failed again.
      expect(reconciliation.deadLetters).toHaveLength(UPSTREAM);
      expect(new Set(reconciliation.deadLetters.map((letter) => letter.reasonCode))).toEqual(
        new Set(['EVENT_UNKNOWN_SCHEMA']),
      );
    } finally {
      await stream.close();
    }
  });
});
