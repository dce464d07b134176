/** Progress in the stack's style (`  1.2s  [launcher] message`), on stderr. */
export type Say = (message: string) => void;

export function progressFor(prefix: string, write: (line: string) => void = stderrLine): Say {
  const started = Date.now();
  return (message) => {
    const seconds = ((Date.now() - started) / 1000).toFixed(1).padStart(5);
    write(`${seconds}s  [${prefix}] ${message}`);
  };
}

function stderrLine(line: string): void {
  process.stderr.write(`${line}\n`);
}
