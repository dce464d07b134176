// Reindex killed mid-way: while requests flow, the shipped reindex bundle rebuilds the vector index
// from content.generated into version 2 of the vector set; it is killed with SIGKILL a quarter of
// the way, started again with the same arguments, resumes version 2 from its committed offsets,
// switches search to it and drops the old set. Then the new set holds every content of the log
// exactly once, search reads it, and every store reconciles as in the other cases.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { TOPICS } from '@genstream/events';
import { committedTotal } from '@genstream/kafka';
import { LineSplitter } from '@genstream/launcher';
import { repoRoot } from '@genstream/stack';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  FaultRig,
  FiguresFile,
  RequestStream,
  describeDeadLetter,
  describeProblems,
  readTopicRange,
  reconcile,
  wipeStores,
} from '../src/index.js';

const REINDEX_BUNDLE = resolve(repoRoot(), 'services/embedding-indexer/dist/cli/reindex.js');
const ARGS = ['--embedder', 'local', '--batch-size', '10'];
const GROUP = 'genstream.reindex.v2';
const LEGACY_SET = 'genstream:vs:content';
const NEW_SET = 'genstream:vs:content:v2';

interface Run {
  readonly lines: string[];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  kill(signal: NodeJS.Signals): void;
}

/** `node services/embedding-indexer/dist/cli/reindex.js ...`, as a deployment runs it from the image. */
function startReindex(env: NodeJS.ProcessEnv, log: (line: string) => void): Run {
  const child = spawn(
    process.execPath,
    ['--disable-warning=TimeoutNegativeWarning', REINDEX_BUNDLE, ...ARGS],
    {
      env: { PATH: process.env.PATH, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const lines: string[] = [];
  for (const stream of [child.stdout, child.stderr]) {
    const splitter = new LineSplitter((line) => {
      lines.push(line);
      log(line);
    });
    stream.on('data', (chunk: Buffer) => splitter.push(chunk.toString()));
  }
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) =>
    child.on('exit', (code, signal) => done({ code, signal })),
  );
  return { lines, exited, kill: (signal) => child.kill(signal) };
}

/** Every distinct contentId of the decodable ContentGenerated on the topic: what a full reindex must hold. */
async function contentIdsOnTopic(rig: FaultRig): Promise<Set<string>> {
  const ends = await rig.probe.topicEnds(TOPICS.ContentGenerated);
  const lows = ends.map((end) => ({ ...end, high: end.low }));
  const records = await readTopicRange(rig.probe.kafka, TOPICS.ContentGenerated, lows, ends);
  const ids = new Set<string>();
  for (const record of records) {
    const event = await rig.probe.codec.decode('ContentGenerated', record.value!).catch(() => undefined);
    if (event) ids.add(event.contentId);
  }
  return ids;
}

describe('reindex killed mid-way', () => {
  const figures = new FiguresFile(inject('figuresPath'));
  let rig: FaultRig;

  beforeAll(async () => {
    rig = await FaultRig.open(inject('faultStack'));
  });
  afterAll(async () => {
    await rig?.close();
  });

  it('resumes into the same version after kill -9, switches search, drops the old set: every content once', async () => {
    const log = (line: string) => process.stderr.write(`[faults] reindex: ${line}\n`);
    expect(existsSync(REINDEX_BUNDLE), `${REINDEX_BUNDLE} (built by npm run build)`).toBe(true);
    await rig.failOnCrash(rig.waitAllCaughtUp());
    await wipeStores(rig.reader);
    const env = { KAFKA_BROKERS: rig.brokers, REDIS_URL: rig.stack.env.REDIS_URL };
    const before = await rig.evidenceOffsets();
    const stream = await RequestStream.open({
      brokers: rig.brokers,
      total: 4500,
      perSecond: 150,
      invalidEvery: 50,
      tag: 'reindex',
    });
    try {
      const publishing = stream.start();
      await stream.reached(1200);
      const startEnds = await rig.probe.topicEnds(TOPICS.ContentGenerated);
      const startTotal = startEnds.reduce((sum, end) => sum + Number(end.high) - Number(end.low), 0);

      // The first run, killed once it has committed a quarter of the log.
      const first = startReindex(env, log);
      let committedAtKill = 0;
      for (;;) {
        committedAtKill = await committedTotal(rig.probe.admin, GROUP, TOPICS.ContentGenerated);
        if (committedAtKill >= startTotal / 4) break;
        expect(first.lines.some((line) => line.startsWith('reindex done'))).toBe(false);
        await sleep(50);
      }
      first.kill('SIGKILL');
      expect((await first.exited).signal).toBe('SIGKILL');
      const killedAt = Date.now();
      log(`killed with ${committedAtKill} of ${startTotal} records committed`);
      expect(committedAtKill).toBeLessThan(startTotal);
      expect(first.lines.join('\n')).toContain(`into ${NEW_SET} (version 2)`);
      expect(await rig.reader.redis.exists(`${LEGACY_SET}:alias`)).toBe(0);

      // Started again with the same arguments (a platform's restart): the same version, resumed.
      await sleep(1_000);
      const second = startReindex(env, log);
      const resumedAt = Date.now();
      const exit = await rig.failOnCrash(second.exited);
      const output = second.lines.join('\n');
      expect(exit, output).toEqual({ code: 0, signal: null });
      const resumed =
        /resuming the reindex into (\S+) \(version (\d+), local:256,.* from its committed offsets: ([\d,]+) of ([\d,]+) records done/.exec(
          output,
        );
      expect(resumed, output).not.toBeNull();
      expect(resumed!.slice(1, 3)).toEqual([NEW_SET, '2']);
      // Not from zero: what the killed run committed counts as done.
      expect(Number(resumed![3]!.replaceAll(',', ''))).toBeGreaterThan(0);
      expect(output).toContain(`reindex done: search reads ${NEW_SET} (version 2)`);
      expect(output).toContain(`The old set ${LEGACY_SET} was dropped.`);
      const switchedDuringStream = stream.published < 4500;
      const recoverySeconds = (Date.now() - resumedAt) / 1000;

      await rig.failOnCrash(publishing);
      await rig.failOnCrash(rig.waitAllCaughtUp());

      // The new set: every content of the log once, each with its hydration hash; the old one gone.
      const redis = rig.reader.redis;
      expect(await redis.hget(`${LEGACY_SET}:alias`, 'set')).toBe(NEW_SET);
      expect(await redis.exists(LEGACY_SET)).toBe(0);
      expect(await redis.exists(`${LEGACY_SET}:reindex`)).toBe(0);
      const expected = await contentIdsOnTopic(rig);
      const present = new Set(
        (await redis.call('VRANDMEMBER', NEW_SET, String(expected.size + 1000))) as string[],
      );
      const lostFromLog = [...expected].filter((id) => !present.has(id));
      const notOnLog = [...present].filter((id) => !expected.has(id));
      const elements = await rig.reader.vectorElements([...present]);
      const unhydrated = [...elements.values()].filter((element) => element.doc.output === undefined).length;
      log(`${NEW_SET}: ${present.size} elements, ${expected.size} contents on the log`);
      expect({ lostFromLog: lostFromLog.length, notOnLog: notOnLog.length, unhydrated }).toEqual({
        lostFromLog: 0,
        notOnLog: 0,
        unhydrated: 0,
      });
      const groups = (await rig.probe.admin.listGroups()).groups.map((group) => group.groupId);
      expect(groups).not.toContain(GROUP);

      // Search reads the new set.
      const query = stream.valid.at(-1)!;
      const search = await fetch(
        `${rig.services.url('embedding-indexer')}/v1/search?q=${encodeURIComponent(query.title)}&k=3`,
        { headers: { authorization: `Bearer ${rig.services.apiKey}` } },
      );
      const answer = (await search.json()) as { results: { contentId: string }[] };
      expect(search.status).toBe(200);
      expect(answer.results.length).toBeGreaterThan(0);
      expect(answer.results.every((result) => present.has(result.contentId))).toBe(true);

      // Every store of the case's requests exactly once. The vector set also holds what earlier
      // cases left on the log (a reindex rebuilds from all of it), checked exactly above.
      const evidence = await rig.evidenceBetween(before, await rig.evidenceOffsets());
      const reconciliation = await reconcile(rig.reader, stream, evidence);
      const problems = describeProblems(reconciliation).filter((line) => !/^vectors: \d+ extra$/.test(line));
      const earlierContents = reconciliation.stores.vectors.extra;
      // Poison earlier cases left on content.generated is dead-lettered again by the reindex's consumer.
      const deadLetters = reconciliation.deadLetters.filter(
        (letter) => letter.service !== 'embedding-indexer-reindex',
      );
      const lost = reconciliation.lost + lostFromLog.length;
      const duplicated = reconciliation.duplicated - earlierContents + notOnLog.length;
      figures.append({
        name: 'reindex, kill -9 mid-way',
        published: stream.published,
        inFlight: 0,
        faultSeconds: (resumedAt - killedAt) / 1000,
        recoverySeconds,
        lost,
        duplicated,
        redelivered: reconciliation.redelivered,
        deadLettered: reconciliation.deadLetters.length,
        failed: stream.invalid.length - reconciliation.unreportedFailures.length,
        note:
          `killed at ${committedAtKill} of ${startTotal} records, resumed into v2; ${present.size} contents in v2, ` +
          `switched ${switchedDuringStream ? 'while requests flowed' : 'after the stream'}, old set dropped`,
      });
      expect(problems, rig.serviceOutput.last(40).join('\n')).toEqual([]);
      expect(deadLetters.map(describeDeadLetter)).toEqual([]);
      expect({ lost, duplicated }).toEqual({ lost: 0, duplicated: 0 });
    } finally {
      await stream.close();
    }
  });
});
