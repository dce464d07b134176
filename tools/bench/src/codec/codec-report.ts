/** Ops per second of one operation: the median round and the slowest and fastest. */
export interface Measure {
  readonly median: number;
  readonly min: number;
  readonly max: number;
}

const ops = (m: Measure) => Math.round(m.median).toLocaleString('en-US');
const spread = (m: Measure) => `±${(((m.max - m.min) / 2 / m.median) * 100).toFixed(1)}%`;
const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}x`;

/** avsc against JSON: bytes per event and ops/s of each operation, with the ratio. */
export function formatCodecTable(
  bytes: { readonly avro: number; readonly json: number },
  results: Record<'avro' | 'json', Record<string, Measure>>,
): string {
  const rows = [
    ['', 'avsc codec (single-object)', 'JSON (stringify/parse)', 'avsc / JSON'],
    ['bytes per event', String(bytes.avro), String(bytes.json), ratio(bytes.avro, bytes.json)],
    ...(['encode', 'decode', 'roundTrip'] as const).map((operation) => [
      `${operation === 'roundTrip' ? 'encode+decode' : operation} ops/s`,
      `${ops(results.avro[operation]!)} ${spread(results.avro[operation]!)}`,
      `${ops(results.json[operation]!)} ${spread(results.json[operation]!)}`,
      ratio(results.avro[operation]!.median, results.json[operation]!.median),
    ]),
  ];
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  const lines: string[] = [];
  for (const [index, row] of rows.entries()) {
    lines.push(
      row
        .map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!)))
        .join('  '),
    );
    if (index === 0) lines.push(widths.map((width) => '-'.repeat(width)).join('  '));
  }
  return lines.join('\n');
}
