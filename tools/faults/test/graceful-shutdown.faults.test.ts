// SIGTERM during load, as a rolling deploy sends it: each service in turn finishes the batch in
// flight, commits, leaves its group and exits 0 within its bound; its replacement takes over;
// nothing is lost or duplicated.
import { SERVICE_NAMES, type StopReport } from '@genstream/launcher';
import { describe, expect, it } from 'vitest';
import { runStreamCase } from '../src/index.js';
import { expectReconciled, useFaultRig } from './support/fault-suite.js';

/** The services' own bound is 25 s for the shutdown plus 5 s before they exit 1 (bootstrapService). */
const EXIT_BOUND_MS = 30_000;

describe('graceful shutdown under load', () => {
  const suite = useFaultRig();

  it('SIGTERM to each service in turn (a rolling restart): exit 0 in time, nothing lost', async () => {
    const stops: StopReport[] = [];
    const result = await runStreamCase(suite.rig, {
      name: 'SIGTERM each service in turn',
      tag: 'sigterm',
      total: 3000,
      perSecond: 60,
      faultAfter: 300,
      inject: async ({ services }) => {
        for (const name of SERVICE_NAMES) {
          // Past the bound, stop() sends SIGKILL: outcome 'killed', which the test refuses.
          stops.push(await services.get(name).stop(EXIT_BOUND_MS));
          await services.respawnHealthy(name, { timeoutMs: 120_000 });
        }
        const slowest = stops.reduce((max, stop) => (stop.ms > max.ms ? stop : max));
        return { note: `slowest exit: ${slowest.name} in ${(slowest.ms / 1000).toFixed(1)} s` };
      },
    });
    expectReconciled(suite, result);
    expect(stops.map((stop) => ({ name: stop.name, outcome: stop.outcome, code: stop.exit.code }))).toEqual(
      SERVICE_NAMES.map((name) => ({ name, outcome: 'exited', code: 0 })),
    );
  });
});
