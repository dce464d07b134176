/** Says one line of progress. */
export type Say = (message: string) => void;

/**
 * Plain-words progress on stderr (`  1.2s  [prefix] message`), so `stack:env` output on stdout
 * stays machine-readable. The launcher's commands speak the same way.
 */
export interface Progress extends Say {
  (message: string): void;
  /** Runs a long step, saying every `everyMs` that it is still going. */
  during<T>(what: string, work: Promise<T>, everyMs?: number): Promise<T>;
}

export function progressFor(prefix: string, write: (line: string) => void = stderrLine): Progress {
  const started = Date.now();
  const say = (message: string) => {
    const seconds = ((Date.now() - started) / 1000).toFixed(1).padStart(5);
    write(`${seconds}s  [${prefix}] ${message}`);
  };
  const progress = say as Progress;
  progress.during = async (what, work, everyMs = 15_000) => {
    const stepStart = Date.now();
    say(`${what}...`);
    const timer = setInterval(
      () => say(`${what}: still working (${Math.round((Date.now() - stepStart) / 1000)} s)`),
      everyMs,
    );
    try {
      const result = await work;
      say(`${what}: done in ${((Date.now() - stepStart) / 1000).toFixed(1)} s`);
      return result;
    } finally {
      clearInterval(timer);
    }
  };
  return progress;
}

function stderrLine(line: string): void {
  process.stderr.write(`${line}\n`);
}
