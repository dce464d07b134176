import {
  formatDeadLetterId,
  type DeadLetter,
  type RedriveItem,
  type RedriveProgress,
  type StoredDeadLetter,
} from '@genstream/kafka';

// What `npm run dlq` prints: plain text, one row per dead letter, no colours.

const REASON_CHARS = 100;
const HEX_BYTES = 512;

/** A table of dead letters: id, failure time, original record, service, code, reason. */
export function formatDeadLetterTable(letters: readonly StoredDeadLetter[]): string {
  const rows = letters.map(({ id, letter }) => [
    formatDeadLetterId(id),
    letter.failedAt.toISOString(),
    `${letter.originalTopic}:${letter.originalPartition}:${letter.originalOffset}`,
    letter.service,
    letter.reasonCode,
    oneLine(letter.reason, REASON_CHARS),
  ]);
  return table(['dead letter', 'failed at', 'original', 'service', 'code', 'reason'], rows);
}

/** A decoded value (as JSON), or why it does not decode. */
export type Decoded = { readonly json: unknown } | { readonly problem: string };

/** Everything about one dead letter: why, every header, and the original record. */
export function formatDeadLetter({ id, letter }: StoredDeadLetter, decoded: Decoded): string {
  const written =
    letter.originalTimestamp === undefined ? '' : ` (written ${isoOf(letter.originalTimestamp)})`;
  const lines = [
    `dead letter  ${formatDeadLetterId(id)}`,
    `failed at    ${letter.failedAt.toISOString()}`,
    `service      ${letter.service}`,
    `code         ${letter.reasonCode}`,
    `reason       ${letter.reason}`,
  ];
  if (letter.errorDetails !== undefined) lines.push(`details      ${JSON.stringify(letter.errorDetails)}`);
  lines.push(
    `original     ${letter.originalTopic}:${letter.originalPartition}:${letter.originalOffset}${written}`,
    `key          ${bytesText(letter.key)}`,
    `headers      ${Object.keys(letter.headers).length === 0 ? '(none)' : ''}`,
    ...Object.entries(letter.headers).map(([name, value]) => `  ${name}: ${headerValues(value)}`),
    `value        ${letter.value === null ? 'null' : `${letter.value.length} bytes`}`,
    ...hexDump(letter.value),
    'json' in decoded
      ? `decoded      ${JSON.stringify(decoded.json, jsonSafe, 2).replaceAll('\n', '\n             ')}`
      : `decoded      no: ${decoded.problem}`,
  );
  return lines.join('\n');
}

/** One line per redrive item: what was (or would be) done with the original record. */
export function formatRedriveItem(item: RedriveItem): string {
  const letters = item.letters.map((stored) => formatDeadLetterId(stored.id)).join(', ');
  const what = item.action === 'already redriven' ? `already redriven (as ${item.redrivenAs})` : item.action;
  return `${item.original}  ${what}  <- ${letters}`;
}

export function formatProgress({ done, total, published, skipped }: RedriveProgress): string {
  return `redrive: ${done}/${total} original records (${published} published, ${skipped} already redriven)`;
}

function table(head: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = head.map((title, i) => Math.max(title.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(head), ...rows.map(line)].join('\n');
}

function oneLine(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ');
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`;
}

function isoOf(millis: string): string {
  const date = new Date(Number(millis));
  return Number.isNaN(date.getTime()) ? millis : date.toISOString();
}

/** Text when the bytes are printable UTF-8, else hex. */
function bytesText(bytes: Buffer | null): string {
  if (bytes === null) return 'null';
  const text = bytes.toString('utf8');
  return /^[\x20-\x7e\u00a0-\uffff]*$/u.test(text) && !text.includes('\ufffd')
    ? JSON.stringify(text)
    : `hex ${bytes.toString('hex')}`;
}

function headerValues(value: DeadLetter['headers'][string]): string {
  if (value === undefined) return '';
  return (Array.isArray(value) ? value : [value])
    .map((v) => bytesText(typeof v === 'string' ? Buffer.from(v) : v))
    .join(', ');
}

function hexDump(bytes: Buffer | null): string[] {
  if (bytes === null) return [];
  const shown = bytes.subarray(0, HEX_BYTES);
  const lines = [];
  for (let at = 0; at < shown.length; at += 32) {
    lines.push(`  ${at.toString(16).padStart(4, '0')}  ${shown.subarray(at, at + 32).toString('hex')}`);
  }
  if (bytes.length > HEX_BYTES) lines.push(`  ... ${bytes.length - HEX_BYTES} more bytes`);
  return lines;
}

function jsonSafe(_key: string, value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Buffer || value instanceof Uint8Array) return Buffer.from(value).toString('hex');
  return value;
}
