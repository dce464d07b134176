// kill -9 of each service in turn while requests flow: the platform restarts it, it catches up,
// and every request is in every store exactly once.
import { setTimeout as sleep } from 'node:timers/promises';
import { SERVICE_NAMES } from '@genstream/launcher';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { FaultRig, FiguresFile, describeDeadLetter, runStreamCase } from '../src/index.js';

describe('kill -9 of a service while requests flow', () => {
  let rig: FaultRig;
  const figures = new FiguresFile(inject('figuresPath'));

  beforeAll(async () => {
    rig = await FaultRig.open(inject('faultStack'));
  });

  afterAll(async () => {
    await rig?.close();
  });

  for (const service of SERVICE_NAMES) {
    it(`${service}: killed mid-stream, restarted, nothing lost or duplicated`, async () => {
      const result = await runStreamCase(rig, {
        name: `kill -9 ${service}`,
        tag: `kill-${service}`,
        total: 1500,
        perSecond: 150,
        faultAfter: 600,
        affected: [service],
        inject: async ({ services }) => {
          const victim = services.get(service);
          victim.signal('SIGKILL');
          const exit = await victim.exited;
          expect(exit.signal).toBe('SIGKILL');
          // A platform's restart policy brings it back after a short back-off; rejoining its
          // group and catching up is the recovery.
          await sleep(1_000);
          services.respawn(service);
        },
      });
      figures.append(result.figures);
      expect(result.problems, rig.serviceOutput.last(40).join('\n')).toEqual([]);
      expect(result.reconciliation.deadLetters.map(describeDeadLetter)).toEqual([]);
    });
  }
});
