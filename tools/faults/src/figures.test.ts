import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FiguresFile, formatFigures, formatFiguresMarkdown, type CaseFigures } from './figures.js';

const row: CaseFigures = {
  name: 'kill -9 generation',
  published: 1500,
  inFlight: 26,
  faultSeconds: 1,
  recoverySeconds: 9.64,
  lost: 0,
  duplicated: 0,
  redelivered: 2,
  deadLettered: 0,
  failed: 30,
  note: 'restarted after 1 s',
};

describe('fault figures', () => {
  it('keep every row appended, across writers of the same file', () => {
    const file = new FiguresFile(join(mkdtempSync(join(tmpdir(), 'figures-')), 'faults.jsonl'));
    expect(file.read()).toEqual([]);
    file.append(row);
    new FiguresFile(file.path).append({ ...row, name: 'kill -9 cache-updater', note: undefined });
    expect(file.read().map((r) => r.name)).toEqual(['kill -9 generation', 'kill -9 cache-updater']);
    file.clear();
    expect(file.read()).toEqual([]);
  });

  it('print seconds with one decimal, a dash for none, and the note in the Markdown table only', () => {
    const text = formatFigures([row, { ...row, name: 'HTTP', recoverySeconds: 0 }]).split('\n');
    expect(text[1]).toMatch(/^kill -9 generation\s+1500\s+26\s+1\.0\s+9\.6\s+0\s+0\s+2\s+0\s+30$/);
    expect(text[2]).toMatch(/\s-\s/);
    const markdown = formatFiguresMarkdown([row]).split('\n');
    expect(markdown[0]).toMatch(/\| note \|$/);
    expect(markdown[2]).toBe(
      '| kill -9 generation | 1500 | 26 | 1.0 | 9.6 | 0 | 0 | 2 | 0 | 30 | restarted after 1 s |',
    );
  });
});
