// A server stopped mid-stream: the Kafka broker, then each store for 30 s. Writers of a stopped
// store pause and retry (no dead letters for good records), the others go on, and once the server
// is back everything catches up: every request in every store exactly once.
import { setTimeout as sleep } from 'node:timers/promises';
import type { ServiceName } from '@genstream/launcher';
import { describe, expect, it } from 'vitest';
import { runStreamCase, type CountedStore, type FaultServer } from '../src/index.js';
import { expectReconciled, useFaultRig } from './support/fault-suite.js';

const OUTAGE_MS = 30_000;

/** Who writes to each store (and so must wait for it); generation reads Redis for its cache. */
const WRITERS_OF: Record<Exclude<FaultServer, 'kafka'>, readonly ServiceName[]> = {
  postgres: ['metadata-writer'],
  mongo: ['document-writer'],
  redis: ['generation', 'cache-updater', 'embedding-indexer'],
};

describe('a server stopped while requests flow', () => {
  const suite = useFaultRig();

  it('Kafka broker stopped for 15 s and restarted: nothing lost or duplicated', async () => {
    const result = await runStreamCase(suite.rig, {
      name: 'Kafka broker down 15 s',
      tag: 'broker',
      total: 2000,
      perSecond: 100,
      faultAfter: 600,
      inject: async ({ stack }) => {
        await stack.down(['kafka']);
        await sleep(15_000);
        await stack.up(['kafka']);
      },
    });
    expectReconciled(suite, result);
  });

  for (const server of ['postgres', 'mongo', 'redis'] as const) {
    it(`${server} stopped for ${OUTAGE_MS / 1000} s: its writers wait, nothing dead-lettered, all catch up`, async () => {
      let grew: string[] = [];
      const result = await runStreamCase(suite.rig, {
        name: `${server} down ${OUTAGE_MS / 1000} s`,
        tag: server,
        total: 3000,
        perSecond: 60,
        faultAfter: 600,
        affected: WRITERS_OF[server],
        inject: async (rig) => {
          await rig.stack.down([server]);
          const atStop = await rig.storeCounts([server]);
          await sleep(OUTAGE_MS);
          const beforeRestart = await rig.storeCounts([server]);
          await rig.stack.up([server]);
          grew = Object.entries(beforeRestart).map(
            ([store, n]) => `${store} +${n - atStop[store as CountedStore]!}`,
          );
          return { note: `during the outage: ${grew.join(', ')}` };
        },
      });
      expectReconciled(suite, result);
      // The writers of the other stores went on meanwhile (with Redis down, generation waits too:
      // its cache and single flight live there, so only what was already generated flows on).
      if (server !== 'redis') for (const growth of grew) expect(growth).not.toMatch(/\+0$/);
    });
  }
});
