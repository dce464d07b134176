import { compactLogLine } from './log-format.js';
import { SERVICE_NAMES, type ServiceName } from './services.js';
import type { OutputListener } from './supervisor.js';

export interface ConsoleOutputOptions {
  /** Show JSON log lines as they are instead of "LEVEL message requestId=...". */
  readonly raw?: boolean;
  /** ANSI colors (default: when stdout is a terminal and NO_COLOR is not set). */
  readonly color?: boolean;
  readonly write?: (text: string) => void;
}

const COLORS = ['36', '33', '35', '32', '34']; // cyan, yellow, magenta, green, blue
// Room for `name#n`, so the lines of a replicated service line up with the others.
const NAME_WIDTH = Math.max(...SERVICE_NAMES.map((name) => name.length)) + 2;

export function useColor(): boolean {
  return process.stdout.isTTY === true && !process.env.NO_COLOR;
}

/** Prints every service line on stdout as `name | line`, one color per service. */
export function consoleOutput(options: ConsoleOutputOptions = {}): OutputListener {
  const color = options.color ?? useColor();
  const write = options.write ?? ((text: string) => process.stdout.write(text));
  return (label, line) => {
    const shown = options.raw ? line : compactLogLine(line);
    write(`${paint(label, `${label.padEnd(NAME_WIDTH)} |`, color)} ${shown}\n`);
  };
}

/** One color per service, the same for all its instances. */
function paint(label: string, text: string, color: boolean): string {
  if (!color) return text;
  const name = label.replace(/#\d+$/, '') as ServiceName;
  const code = COLORS[Math.max(0, SERVICE_NAMES.indexOf(name)) % COLORS.length]!;
  return `\u001b[${code}m${text}\u001b[0m`;
}

/** Red and bold on a terminal: for what must not be missed (a crash). */
export function loud(text: string, color = useColor()): string {
  return color ? `\u001b[1;31m${text}\u001b[0m` : text;
}
