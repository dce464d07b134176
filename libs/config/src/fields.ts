/**
 * One environment variable: how to parse it, and what to use when it is absent.
 * `parse` returns the value or throws an Error whose message says what was expected.
 */
export interface Field<T> {
  readonly parse: (raw: string) => T;
  /** Used when the variable is unset or blank; no default means the variable is required. */
  readonly fallback?: () => T;
  readonly describe: string;
  /** Its value is never echoed in a configuration error (a password, a key, a URL with credentials). */
  readonly secret?: boolean;
}

/** The same field, its value kept out of error messages: `secret(url(['postgres:']))`. */
export function secret<T>(inner: Field<T>): Field<T> {
  return { ...inner, secret: true };
}

const field = <T>(describe: string, parse: (raw: string) => T, fallback?: T): Field<T> => ({
  describe,
  parse,
  fallback: fallback === undefined ? undefined : () => fallback,
});

export function text(fallback?: string): Field<string> {
  return field('text', (raw) => raw, fallback);
}

export function integer(options: { min?: number; max?: number; fallback?: number } = {}): Field<number> {
  const { min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER } = options;
  return field(
    `an integer from ${min} to ${max}`,
    (raw) => {
      const value = Number(raw);
      if (!/^-?\d+$/.test(raw) || value < min || value > max)
        throw new Error(`expected an integer from ${min} to ${max}`);
      return value;
    },
    options.fallback,
  );
}

export function oneOf<const T extends string>(choices: readonly T[], fallback?: T): Field<T> {
  return field(
    `one of ${choices.join(', ')}`,
    (raw) => {
      if (!(choices as readonly string[]).includes(raw))
        throw new Error(`expected one of ${choices.join(', ')}`);
      return raw as T;
    },
    fallback,
  );
}

export function flag(fallback?: boolean): Field<boolean> {
  return field(
    'true or false',
    (raw) => {
      if (/^(1|true|yes|on)$/i.test(raw)) return true;
      if (/^(0|false|no|off)$/i.test(raw)) return false;
      throw new Error('expected true or false');
    },
    fallback,
  );
}

/** A URL with one of the given schemes, e.g. `url(['postgres:', 'postgresql:'])`. */
export function url(protocols: readonly string[], fallback?: string): Field<string> {
  return field(
    `a ${protocols.join(' or ')} URL`,
    (raw) => {
      let parsed: URL;
      try {
        parsed = new URL(raw);
      } catch {
        throw new Error(`expected a ${protocols.join(' or ')} URL`);
      }
      if (!protocols.includes(parsed.protocol)) throw new Error(`expected a ${protocols.join(' or ')} URL`);
      return raw;
    },
    fallback,
  );
}

/** Comma-separated `host:port` list, as KAFKA_BROKERS is. */
export function hostPorts(fallback?: string[]): Field<string[]> {
  return field(
    'comma-separated host:port pairs',
    (raw) => {
      const entries = raw.split(',').map((entry) => entry.trim());
      const bad = entries.filter((entry) => !/^[^\s:]+:\d{1,5}$/.test(entry));
      if (bad.length > 0)
        throw new Error(`expected host:port pairs, got ${bad.map((b) => `"${b}"`).join(', ')}`);
      return entries;
    },
    fallback,
  );
}
