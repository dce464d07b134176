// Poison on every consumed topic, in the middle of a stream: each record ends in its topic's
// dead-letter topic (once per consuming service) or on generation.failed, with its reason, and
// every good record around it is processed.
import { TOPICS } from '@genstream/events';
import { describe, expect, it } from 'vitest';
import {
  CONSUMED_BY,
  contractViolations,
  poisonRecords,
  runStreamCase,
  type PoisonRecord,
} from '../src/index.js';
import { useFaultRig } from './support/fault-suite.js';

describe('poison input on every consumed topic', () => {
  const suite = useFaultRig();

  it('dead-letters undecodable records with their reason, fails contract violations, processes the rest', async () => {
    const poison: PoisonRecord[] = await poisonRecords();
    const violations = contractViolations();
    const result = await runStreamCase(suite.rig, {
      name: 'poison on every topic',
      tag: 'poison',
      total: 1200,
      perSecond: 120,
      faultAfter: 400,
      inject: async ({ probe }) => {
        await probe.producer.sendBatch({
          topicMessages: [...new Set(poison.map((p) => p.topic))].map((topic) => ({
            topic,
            messages: poison.filter((p) => p.topic === topic).map((p) => ({ key: p.key, value: p.value })),
          })),
        });
        await probe.publishRequests(violations.map((v) => v.request));
      },
    });
    const { reconciliation } = result;
    const expectedLetters = poison.reduce((sum, p) => sum + CONSUMED_BY.get(p.topic)!.length, 0);
    suite.figures.append({
      ...result.figures,
      published: result.figures.published + poison.length + violations.length,
      failed: result.figures.failed + violations.length,
      note: `${poison.length} poison records (5 kinds x 3 topics), ${violations.length} contract violations`,
    });

    // The good records around the poison: all there, exactly once.
    expect(result.problems, suite.rig.serviceOutput.last(40).join('\n')).toEqual([]);

    // Each poison record: one dead letter per consuming service, with the reason it was refused.
    const letters = reconciliation.deadLetters;
    for (const p of poison) {
      const mine = letters.filter((letter) => letter.key?.toString() === p.key);
      expect(
        mine.map((letter) => ({
          service: letter.service,
          topic: letter.originalTopic,
          code: letter.reasonCode,
        })),
        `${p.kind} on ${p.topic}`,
      ).toEqual(
        expect.arrayContaining(
          CONSUMED_BY.get(p.topic)!.map((service) => ({ service, topic: p.topic, code: p.expectedCode })),
        ),
      );
      expect(mine).toHaveLength(CONSUMED_BY.get(p.topic)!.length);
      for (const letter of mine) expect(letter.reason.length).toBeGreaterThan(0);
    }
    expect(letters).toHaveLength(expectedLetters);
    expect(new Set(letters.map((l) => l.originalTopic))).toEqual(
      new Set([TOPICS.GenerationRequested, TOPICS.ContentGenerated, TOPICS.GenerationFailed]),
    );

    // Each contract violation: reported on generation.failed with a reason, and marked failed.
    const reasons = new Map(result.evidence.failures.map((f) => [f.requestId, f.reasonCode]));
    const statuses = await suite.rig.reader.statuses(violations.map((v) => v.request.requestId));
    for (const { kind, request } of violations) {
      expect(reasons.get(request.requestId), kind).toBe('CONTRACT_VIOLATION');
      expect(statuses.get(request.requestId), kind).toMatchObject({
        state: 'failed',
        code: 'CONTRACT_VIOLATION',
      });
    }
  });
});
