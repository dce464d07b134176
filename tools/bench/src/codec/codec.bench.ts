// npm run bench:codec: the codec on a realistic ContentGenerated (about 1.5 KB of output text)
// against JSON.stringify/JSON.parse of the same object. Each figure is the median of timed rounds
// after a warm-up, with the spread (min..max) of the rounds. Results also go to .bench/codec.json.
import { cpus } from 'node:os';
import { createEventCodec, type ContentGenerated } from '@genstream/events';
import { aContentGenerated } from '@genstream/events/testing';
import { benchFile } from '../runner/bench-files.js';
import { runBenchCommand } from '../runner/bench-command.js';
import { formatCodecTable, type Measure } from './codec-report.js';

const ROUNDS = 7;
const ROUND_MS = 300;
const WARMUP_MS = 1_000;
const OPERATIONS = ['encode', 'decode', 'roundTrip'] as const;

const SENTENCES = [
  'The bottle is made from recycled stainless steel and keeps water cold for a full day.',
  'Its double wall keeps coffee hot through a long afternoon without sweating in your bag.',
  'A leak-proof lid clicks shut with one hand, so it is safe to toss next to a laptop.',
  'The powder-coated finish stays easy to grip on the trail, at the gym or at your desk.',
];

function realisticEvent(): ContentGenerated {
  let output = '';
  for (let i = 0; output.length < 1_500; i++) output += `${SENTENCES[i % SENTENCES.length]} `;
  return aContentGenerated({ output: output.trim() });
}

/** Ops per second of `operation`, run in batches; async operations are awaited one by one. */
async function measure(operation: () => unknown): Promise<Measure> {
  const run = async (durationMs: number): Promise<number> => {
    let count = 0;
    const start = performance.now();
    let elapsed = 0;
    while (elapsed < durationMs) {
      for (let i = 0; i < 200; i++) {
        const result = operation();
        if (result instanceof Promise) await result;
      }
      count += 200;
      elapsed = performance.now() - start;
    }
    return (count / elapsed) * 1_000;
  };
  await run(WARMUP_MS);
  const rounds: number[] = [];
  for (let i = 0; i < ROUNDS; i++) rounds.push(await run(ROUND_MS));
  rounds.sort((a, b) => a - b);
  return { median: rounds[Math.floor(ROUNDS / 2)]!, min: rounds[0]!, max: rounds.at(-1)! };
}

runBenchCommand({
  name: 'codec',
  usage: '',
  options: {},
  servers: 'none',
  run: async () => {
    const event = realisticEvent();
    const codec = createEventCodec();
    const avroBytes = await codec.encode('ContentGenerated', event);
    const jsonBytes = Buffer.from(JSON.stringify(event));
    const cases = {
      avro: {
        encode: () => codec.encode('ContentGenerated', event),
        decode: () => codec.decode('ContentGenerated', avroBytes),
        roundTrip: async () =>
          codec.decode('ContentGenerated', await codec.encode('ContentGenerated', event)),
      },
      json: {
        encode: () => Buffer.from(JSON.stringify(event)),
        decode: () => JSON.parse(jsonBytes.toString('utf8')) as unknown,
        roundTrip: () => JSON.parse(Buffer.from(JSON.stringify(event)).toString('utf8')) as unknown,
      },
    };
    const results: Record<'avro' | 'json', Record<string, Measure>> = { avro: {}, json: {} };
    for (const format of ['avro', 'json'] as const) {
      for (const operation of OPERATIONS)
        results[format][operation] = await measure(cases[format][operation]);
    }
    const bytes = { avro: avroBytes.length, json: jsonBytes.length };
    const report = [
      `ContentGenerated, output ${event.output.length} characters`,
      `Node ${process.version}, ${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores`,
      `median of ${ROUNDS} rounds of ${ROUND_MS} ms after ${WARMUP_MS} ms warm-up; spread = half the min..max range\n`,
      formatCodecTable(bytes, results),
    ].join('\n');
    const json = {
      at: new Date().toISOString(),
      node: process.version,
      cpu: cpus()[0]?.model,
      cores: cpus().length,
      outputCharacters: event.output.length,
      bytes,
      opsPerSecond: results,
    };
    return { report, json, files: [benchFile('codec.json')] };
  },
});
