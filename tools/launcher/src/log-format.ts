/**
 * Services log one JSON object per line on stderr. For people watching `npm start`, such a line is
 * shown compactly: level, message, request id (and the error's message for warnings and errors).
 * Anything that is not a JSON object is shown as it is.
 */
export function compactLogLine(line: string): string {
  const trimmed = line.trim();
  if (!trimmed.startsWith('{')) return line;
  let entry: unknown;
  try {
    entry = JSON.parse(trimmed);
  } catch {
    return line;
  }
  if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) return line;
  const record = entry as Record<string, unknown>;
  const level = levelName(record.level ?? record.severity);
  const message = firstString(record.msg, record.message) ?? '';
  const requestId = firstString(record.requestId, nested(record, 'context', 'requestId'));
  const parts = [level.padEnd(5), message];
  if (requestId) parts.push(`requestId=${requestId}`);
  if (level !== 'INFO' && level !== 'DEBUG') {
    const code = firstString(record.code);
    if (code) parts.push(`[${code}]`);
    // The message without its stack frames (the raw line is still in the service's last lines).
    const error = errorMessage(record)
      ?.split(/\n\s+at /)[0]
      ?.replace(/\s*\n\s*/g, ' ');
    if (error && !message.includes(error)) parts.push(`(${error})`);
  }
  return parts.join(' ').trimEnd();
}

const PINO_LEVELS: Record<number, string> = {
  10: 'TRACE',
  20: 'DEBUG',
  30: 'INFO',
  40: 'WARN',
  50: 'ERROR',
  60: 'FATAL',
};

function levelName(level: unknown): string {
  if (typeof level === 'number') return PINO_LEVELS[level] ?? String(level);
  if (typeof level === 'string' && level.length > 0) {
    const upper = level.toUpperCase();
    return upper === 'WARNING' ? 'WARN' : upper === 'LOG' ? 'INFO' : upper;
  }
  return 'LOG';
}

function firstString(...values: unknown[]): string | undefined {
  for (const value of values) {
    if (typeof value === 'string' && value.length > 0) return value;
    if (typeof value === 'number') return String(value);
  }
  return undefined;
}

function nested(record: Record<string, unknown>, key: string, field: string): unknown {
  const inner = record[key];
  return inner !== null && typeof inner === 'object' ? (inner as Record<string, unknown>)[field] : undefined;
}

function errorMessage(record: Record<string, unknown>): string | undefined {
  for (const key of ['err', 'error']) {
    const value = record[key];
    if (typeof value === 'string') return value;
    const message = value !== null && typeof value === 'object' ? nested(record, key, 'message') : undefined;
    if (typeof message === 'string') return message;
  }
  return undefined;
}
