import { appendFileSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { formatMarkdownTable, formatTable } from '@genstream/stack';

/** What one fault case measured, for the suite's closing table and README's reliability section. */
export interface CaseFigures {
  readonly name: string;
  /** Requests published during the case (valid and invalid), or records/cases for input cases. */
  readonly published: number;
  /** Published but not yet in every store when the fault struck. */
  readonly inFlight: number;
  /** How long the fault lasted (process down, server stopped), in seconds. */
  readonly faultSeconds: number;
  /** From the end of the fault until the affected consumers had committed everything published by then. */
  readonly recoverySeconds: number;
  /** Valid requests missing from a store, summed over the stores. */
  readonly lost: number;
  /** Extra copies in a store, summed over the stores. */
  readonly duplicated: number;
  /** ContentGenerated records published more than once (at-least-once delivery, absorbed by the writers). */
  readonly redelivered: number;
  /** Records on dead-letter topics during the case. */
  readonly deadLettered: number;
  /** Requests reported on genstream.generation.failed (the invalid ones, by design). */
  readonly failed: number;
  readonly note?: string;
}

const HEADER = [
  'case',
  'published',
  'in flight at fault',
  'fault (s)',
  'recovery (s)',
  'lost',
  'duplicated',
  'redelivered',
  'dead-lettered',
  'generation.failed',
];

function cells(row: CaseFigures): string[] {
  const seconds = (value: number) => (value > 0 ? value.toFixed(1) : '-');
  return [
    row.name,
    String(row.published),
    String(row.inFlight),
    seconds(row.faultSeconds),
    seconds(row.recoverySeconds),
    String(row.lost),
    String(row.duplicated),
    String(row.redelivered),
    String(row.deadLettered),
    String(row.failed),
  ];
}

export function formatFigures(rows: readonly CaseFigures[]): string {
  return formatTable([HEADER, ...rows.map(cells)]);
}

/** The same table with each case's note as a last column (what it saw beyond the counts). */
export function formatFiguresMarkdown(rows: readonly CaseFigures[]): string {
  return formatMarkdownTable([[...HEADER, 'note'], ...rows.map((row) => [...cells(row), row.note ?? ''])]);
}

/**
 * The cases run in separate test files (and vitest workers): each appends its row to one JSON-lines
 * file that the suite's teardown turns into the table.
 */
export class FiguresFile {
  constructor(readonly path: string) {}

  clear(): void {
    rmSync(this.path, { force: true });
  }

  append(row: CaseFigures): void {
    mkdirSync(dirname(this.path), { recursive: true });
    appendFileSync(this.path, `${JSON.stringify(row)}\n`);
  }

  read(): CaseFigures[] {
    if (!existsSync(this.path)) return [];
    return readFileSync(this.path, 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as CaseFigures);
  }
}
