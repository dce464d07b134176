/** A flag the command cannot use: the runner prints the usage with it. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Whether the command line itself was wrong (an unknown flag, a bad value), not the run. */
export function isUsageError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return error instanceof UsageError || (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS'));
}

/** The parsed flags of a command (node:util parseArgs values). */
export type Flags = Readonly<Record<string, string | boolean | (string | boolean)[] | undefined>>;

/** A string flag, or undefined when absent. */
export function stringFlag(flags: Flags, name: string): string | undefined {
  const value = flags[name];
  return typeof value === 'string' ? value : undefined;
}

/** An integer flag (>= 0), or undefined when absent; anything else is a usage error. */
export function integerFlag(flags: Flags, name: string): number | undefined {
  const text = stringFlag(flags, name);
  return text === undefined ? undefined : integer(`--${name}`, text);
}

/** A comma-separated list flag, each item trimmed, or undefined when absent. */
export function listFlag(flags: Flags, name: string): string[] | undefined {
  return stringFlag(flags, name)
    ?.split(',')
    .map((item) => item.trim());
}

/** The names in `chosen` must all be among `known`. */
export function knownNames<Name extends string>(
  what: string,
  chosen: readonly string[] | undefined,
  known: readonly Name[],
): readonly Name[] {
  const unknown = chosen?.filter((name) => !(known as readonly string[]).includes(name)) ?? [];
  if (unknown.length > 0)
    throw new UsageError(`unknown ${what}(s) ${unknown.join(', ')}; known: ${known.join(', ')}`);
  return (chosen ?? known) as readonly Name[];
}

export function integer(what: string, text: string): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isInteger(value) || value < 0) {
    throw new UsageError(`${what}: not a non-negative integer: ${text}`);
  }
  return value;
}

/** parseArgs options for flags that each take a value (numbers and lists are parsed by the command). */
export function valueFlags(...names: string[]): Record<string, { type: 'string' }> {
  return Object.fromEntries(names.map((name) => [name, { type: 'string' as const }]));
}
