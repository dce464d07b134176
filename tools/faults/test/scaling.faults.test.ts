// A platform team scales a writer out and back in under load: two more metadata-writer instances
// join its group (a rebalance while batches are in flight), share its partitions for a while, then
// get SIGTERM (another rebalance); nothing is lost or written twice, every instance did some work.
import { setTimeout as sleep } from 'node:timers/promises';
import { fetchMetrics, freePorts, metricValue, type StopReport } from '@genstream/launcher';
import { describe, expect, it } from 'vitest';
import { runStreamCase } from '../src/index.js';
import { expectReconciled, useFaultRig } from './support/fault-suite.js';

const WRITER = 'metadata-writer';
const SCALED_FOR_MS = 15_000;
const HANDLED = 'genstream_kafka_consumer_records_handled_total';

describe('scaling a writer under load', () => {
  const suite = useFaultRig();

  it('metadata-writer from 1 to 3 instances and back to 1: rebalances mid-stream, nothing lost', async () => {
    const stops: StopReport[] = [];
    const handledBy: number[] = [];
    const result = await runStreamCase(suite.rig, {
      name: `${WRITER} 1 -> 3 -> 1 instances`,
      tag: 'scaling',
      total: 4000,
      perSecond: 100,
      faultAfter: 600,
      affected: [WRITER],
      inject: async ({ services }) => {
        for (const port of await freePorts(2))
          await services.addInstance(WRITER, port, { timeoutMs: 120_000 });
        await sleep(SCALED_FOR_MS);
        for (const instance of services.instances(WRITER))
          handledBy.push(metricValue(await fetchMetrics(instance.spec.url), HANDLED));
        for (const extra of services.instances(WRITER).slice(1))
          stops.push(await services.removeInstance(WRITER, extra.spec.instance, 30_000));
        return {
          note: `3 instances for ${SCALED_FOR_MS / 1000} s, records handled by each then: ${handledBy.join(', ')}`,
        };
      },
    });
    expectReconciled(suite, result);
    expect(handledBy).toHaveLength(3);
    // Every instance took part: each held partitions and handled records while the three ran.
    expect(
      handledBy.every((count) => count > 0),
      `handled: ${handledBy.join(', ')}`,
    ).toBe(true);
    expect(stops.map((stop) => ({ outcome: stop.outcome, code: stop.exit.code }))).toEqual([
      { outcome: 'exited', code: 0 },
      { outcome: 'exited', code: 0 },
    ]);
    expect(suite.rig.services.instances(WRITER)).toHaveLength(1);
  });
});
