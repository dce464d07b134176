import { formatTable } from '@genstream/stack';

export interface ServiceRow {
  readonly name: string;
  readonly url: string;
  /** E.g. "200 healthy" or "503: ...". */
  readonly health: string;
  readonly pid: number;
  /** Time from start to healthy. */
  readonly readyMs?: number;
}

export function formatServiceTable(rows: readonly ServiceRow[]): string {
  return formatTable([
    ['service', 'URL', 'health', 'pid', 'ready in'],
    ...rows.map((row) => [
      row.name,
      row.url,
      row.health,
      String(row.pid),
      row.readyMs === undefined ? '-' : `${(row.readyMs / 1000).toFixed(1)} s`,
    ]),
  ]);
}
