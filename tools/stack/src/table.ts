import { relative } from 'node:path';
import type { ServerStatus } from './stack.js';

/** The servers as a plain-text table: what runs, which version, where, how much memory, where its data lives. */
export function formatStatusTable(servers: readonly ServerStatus[]): string {
  return formatTable([
    ['server', 'state', 'version', 'address', 'memory', 'data folder'],
    ...servers.map((server) => [
      `${server.name} (${server.product})`,
      server.state + pidsCell(server.pids),
      server.version ?? '-',
      server.address,
      server.residentBytes ? `${(server.residentBytes / 2 ** 20).toFixed(0)} MiB` : '-',
      server.dataDir ? relative(process.cwd(), server.dataDir) || '.' : '-',
    ]),
  ]);
}

/** Plain-text columns: a header row, then one row per item, each column as wide as its widest cell. */
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

/** The same rows as a Markdown table (for README sections written from measured figures). */
export function formatMarkdownTable(rows: readonly (readonly string[])[]): string {
  if (rows.length === 0) return '';
  const line = (row: readonly string[]) =>
    `| ${row.map((cell) => cell.replaceAll('|', '\\|')).join(' | ')} |`;
  const [header, ...body] = rows;
  return [line(header!), line(header!.map(() => '---')), ...body.map(line)].join('\n');
}

function pidsCell(pids: readonly number[] | undefined): string {
  if (!pids || pids.length === 0) return '';
  return ` (${pids.length === 1 ? 'pid' : 'pids'} ${pids.join(', ')})`;
}
