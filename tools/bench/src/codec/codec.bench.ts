// npm run bench:codec: the codec on a realistic ContentGenerated (about 1.5 KB of output text)
// against JSON.stringify/JSON.parse of the same object. Each figure is the median of timed rounds
// after a warm-up, with the spread (min..max) of the rounds. Results also go to .bench/codec.json.
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createEventCodec, type ContentGenerated } from '@genstream/events';
import { aContentGenerated } from '@genstream/events/testing';

const ROUNDS = 7;
const ROUND_MS = 300;
const WARMUP_MS = 1_000;

const SENTENCES = [
  'The bottle is made from recycled stainless steel and keeps water cold for a full day.',
  'Its double wall keeps coffee hot through a long afternoon without sweating in your bag.',
  'A leak-proof lid clicks shut with one hand, so it is safe to toss next to a laptop.',
  'The powder-coated finish stays easy to grip on the trail, at the gym or at your desk.',
];
let output = '';
for (let i = 0; output.length < 1_500; i++) output += `${SENTENCES[i % SENTENCES.length]} `;
const event: ContentGenerated = aContentGenerated({ output: output.trim() });

const codec = createEventCodec();
const avroBytes = await codec.encode('ContentGenerated', event);
const jsonBytes = Buffer.from(JSON.stringify(event));

type Operation = () => unknown;
interface Measure {
  median: number;
  min: number;
  max: number;
}

/** Ops per second of `operation`, run in batches; async operations are awaited one by one. */
async function measure(operation: Operation): Promise<Measure> {
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

const cases = {
  avro: {
    encode: () => codec.encode('ContentGenerated', event),
    decode: () => codec.decode('ContentGenerated', avroBytes),
    roundTrip: async () => codec.decode('ContentGenerated', await codec.encode('ContentGenerated', event)),
  },
  json: {
    encode: () => Buffer.from(JSON.stringify(event)),
    decode: () => JSON.parse(jsonBytes.toString('utf8')) as unknown,
    roundTrip: () => JSON.parse(Buffer.from(JSON.stringify(event)).toString('utf8')) as unknown,
  },
};

const results: Record<string, Record<string, Measure>> = { avro: {}, json: {} };
for (const format of ['avro', 'json'] as const) {
  for (const operation of ['encode', 'decode', 'roundTrip'] as const) {
    results[format]![operation] = await measure(cases[format][operation]);
  }
}

const ops = (m: Measure) => Math.round(m.median).toLocaleString('en-US');
const spread = (m: Measure) => `±${(((m.max - m.min) / 2 / m.median) * 100).toFixed(1)}%`;
const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}x`;

console.log(`ContentGenerated, output ${event.output.length} characters`);
console.log(`Node ${process.version}, ${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores`);
console.log(
  `median of ${ROUNDS} rounds of ${ROUND_MS} ms after ${WARMUP_MS} ms warm-up; spread = half the min..max range\n`,
);
const rows = [
  ['', 'avsc codec (single-object)', 'JSON (stringify/parse)', 'avsc / JSON'],
  [
    'bytes per event',
    String(avroBytes.length),
    String(jsonBytes.length),
    ratio(avroBytes.length, jsonBytes.length),
  ],
  ...(['encode', 'decode', 'roundTrip'] as const).map((operation) => [
    `${operation === 'roundTrip' ? 'encode+decode' : operation} ops/s`,
    `${ops(results.avro![operation]!)} ${spread(results.avro![operation]!)}`,
    `${ops(results.json![operation]!)} ${spread(results.json![operation]!)}`,
    ratio(results.avro![operation]!.median, results.json![operation]!.median),
  ]),
];
const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
for (const [index, row] of rows.entries()) {
  console.log(
    row
      .map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!)))
      .join('  '),
  );
  if (index === 0) console.log(widths.map((width) => '-'.repeat(width)).join('  '));
}

const root = fileURLToPath(new URL('../../../../', import.meta.url));
const file = path.join(root, '.bench', 'codec.json');
await mkdir(path.dirname(file), { recursive: true });
await writeFile(
  file,
  `${JSON.stringify(
    {
      at: new Date().toISOString(),
      node: process.version,
      cpu: cpus()[0]?.model,
      cores: cpus().length,
      outputCharacters: event.output.length,
      bytes: { avro: avroBytes.length, json: jsonBytes.length },
      opsPerSecond: results,
    },
    null,
    2,
  )}\n`,
);
console.log(`\nwrote ${path.relative(root, file)}`);
