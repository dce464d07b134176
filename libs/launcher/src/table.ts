/** Plain-text columns, as the stack's status table: a header row, then one row per item. */
export function formatTable(rows: readonly (readonly string[])[]): string {
  if (rows.length === 0) return '';
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length)));
  return rows
    .map((row) =>
      row
        .map((cell, column) => cell.padEnd(widths[column]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

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
