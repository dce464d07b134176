/** Cuts a stream of chunks into lines; the last partial line waits for the rest (or for flush). */
export class LineSplitter {
  private pending = '';

  constructor(private readonly onLine: (line: string) => void) {}

  push(chunk: Buffer | string): void {
    const text = this.pending + chunk.toString();
    const lines = text.split('\n');
    this.pending = lines.pop() ?? '';
    for (const line of lines) this.onLine(line.replace(/\r$/, ''));
  }

  /** The stream ended: a last line without a newline still counts. */
  flush(): void {
    if (this.pending.length > 0) this.onLine(this.pending);
    this.pending = '';
  }
}

/** The last `capacity` lines, oldest first: what is shown when a service fails. */
export class LastLines {
  private readonly lines: string[] = [];

  constructor(private readonly capacity = 40) {}

  add(line: string): void {
    this.lines.push(line);
    if (this.lines.length > this.capacity) this.lines.shift();
  }

  last(count = this.capacity): string[] {
    return this.lines.slice(-count);
  }
}
