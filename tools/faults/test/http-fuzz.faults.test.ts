// The HTTP APIs under a few thousand bad requests: every answer a 4xx with a JSON error, never a
// 5xx, a hang or a crash; the services stay healthy and still take a good request afterwards.
import { checkHealth, GenstreamClient, SERVICE_NAMES, type GenerationRequestBody } from '@genstream/launcher';
import { describe, expect, it } from 'vitest';
import { formatFuzzReport, generateFuzzCases, runFuzzCases, validGenerationBody } from '../src/index.js';
import { useFaultRig } from './support/fault-suite.js';

const CASES = 3_000;
// Fixed, so a failure reproduces; GENSTREAM_FUZZ_SEED explores other cases.
const SEED = Number(process.env.GENSTREAM_FUZZ_SEED ?? 20261122);

describe('HTTP APIs under bad input', () => {
  const suite = useFaultRig();

  it(`answers ${CASES} generated bad requests (seed ${SEED}) with a 4xx JSON error each`, async () => {
    const cases = generateFuzzCases(CASES, SEED);
    const started = Date.now();
    const report = await runFuzzCases(
      cases,
      {
        generation: suite.rig.services.url('generation'),
        'embedding-indexer': suite.rig.services.url('embedding-indexer'),
      },
      { credential: suite.rig.services.apiKey },
    );
    process.stderr.write(`[faults] ${formatFuzzReport(report)}\n`);
    suite.figures.append({
      name: `HTTP bad input (${CASES} cases)`,
      published: report.total,
      inFlight: 0,
      faultSeconds: (Date.now() - started) / 1000,
      recoverySeconds: 0,
      lost: 0,
      duplicated: 0,
      redelivered: 0,
      deadLettered: 0,
      failed: 0,
      note: `answers: ${Object.entries(report.byStatus)
        .map(([status, n]) => `${status} x${n}`)
        .join(', ')}; ${report.failures.length} not a 4xx JSON error`,
    });

    expect(report.total).toBe(CASES);
    expect(report.failures, formatFuzzReport(report)).toEqual([]);
    // Nothing crashed, and each service still answers /health with 200.
    for (const name of SERVICE_NAMES) expect(suite.rig.services.get(name).exit, name).toBeUndefined();
    for (const name of SERVICE_NAMES)
      expect((await checkHealth(suite.rig.services.url(name))).status, name).toBe(200);

    // A good request still goes through after all that.
    const client = new GenstreamClient(
      suite.rig.services.url('generation'),
      suite.rig.services.url('embedding-indexer'),
      { apiKey: suite.rig.services.apiKey },
    );
    const accepted = await client.requestGeneration(
      validGenerationBody(SEED) as unknown as GenerationRequestBody,
    );
    expect(await client.waitFinished(accepted.requestId, 60_000)).toMatchObject({ state: 'done' });
  });
});
