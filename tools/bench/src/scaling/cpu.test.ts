import { describe, expect, it } from 'vitest';
import { busySecondsOf, coresBetween, processSecondsOf } from './cpu.js';

describe('CPU time from /proc', () => {
  it('adds the busy fields of the cpu line of /proc/stat (not idle, not iowait)', () => {
    const stat = 'cpu  100 5 50 9000 40 1 2 3 0 0\ncpu0 50 0 25 4500 20 0 1 1 0 0\n';
    expect(busySecondsOf(stat)).toBeCloseTo((100 + 5 + 50 + 1 + 2 + 3) / 100);
    expect(busySecondsOf('')).toBe(0);
  });

  it("reads utime and stime of /proc/<pid>/stat, whatever the process's name holds", () => {
    const stat = '17474 (node (x) y) R 17430 17430 11070 0 -1 4194304 102 0 0 0 250 50 0 0 20 0 1 0';
    expect(processSecondsOf(stat)).toBe(3);
    expect(processSecondsOf('')).toBe(0);
  });

  it('turns two readings into cores in use', () => {
    const from = { at: 0, machineBusySeconds: 10, processSeconds: 1 };
    const to = { at: 2_000, machineBusySeconds: 13, processSeconds: 2 };
    expect(coresBetween(from, to)).toEqual({ machineBusyCores: 1.5, processCores: 0.5 });
  });
});
