/** A progress line writer: the bench's progress goes to stderr, its tables to stdout. */
export type Say = (message: string) => void;

/** Progress lines stamped with the seconds since `started` and the part they come from. */
export function progressLines(started: number): (prefix: string) => Say {
  return (prefix) => (message) =>
    process.stderr.write(
      `${((Date.now() - started) / 1000).toFixed(1).padStart(6)}s  [${prefix}] ${message}\n`,
    );
}
