import { describe, expect, it } from 'vitest';
import { LastLines, LineSplitter } from './output-lines.js';

describe('LineSplitter', () => {
  it('joins lines split across chunks and flushes the last partial one', () => {
    const lines: string[] = [];
    const splitter = new LineSplitter((line) => lines.push(line));
    splitter.push('first li');
    splitter.push('ne\r\nsecond\nthi');
    expect(lines).toEqual(['first line', 'second']);
    splitter.flush();
    expect(lines).toEqual(['first line', 'second', 'thi']);
  });
});

describe('LastLines', () => {
  it('keeps only the newest lines', () => {
    const recent = new LastLines(2);
    for (const line of ['a', 'b', 'c']) recent.add(line);
    expect(recent.last()).toEqual(['b', 'c']);
    expect(recent.last(1)).toEqual(['c']);
  });
});
