import { describe, expect, it } from 'vitest';
import { isUsageError } from '../runner/flags.js';
import { BASELINE_LAYOUT, expandLayout, layoutsFor, processCount } from './layouts.js';

describe('end-to-end layouts', () => {
  it('expands the shorthands: writers=N, slowest=N', () => {
    expect(expandLayout('writers=2', undefined).replicas).toEqual({
      'metadata-writer': 2,
      'document-writer': 2,
      'cache-updater': 2,
      'embedding-indexer': 2,
    });
    expect(expandLayout('generation=2,slowest=3', 'embedding-indexer')).toEqual({
      name: 'generation=2,embedding-indexer=3',
      replicas: { generation: 2, 'embedding-indexer': 3 },
    });
  });

  it('reads `tracing` as the same replicas with every span exported, a layout of its own', () => {
    expect(expandLayout('tracing', undefined)).toEqual({ name: 'tracing', replicas: {}, tracing: true });
    expect(expandLayout('writers=2,tracing', undefined)).toMatchObject({ tracing: true });
    expect(layoutsFor(['tracing', 'tracing'], undefined)).toEqual([
      BASELINE_LAYOUT,
      { name: 'tracing', replicas: {}, tracing: true },
    ]);
  });

  it('refuses a layout it cannot run, as a usage error', () => {
    for (const spec of ['slowest=2', 'nope=2', 'generation=12']) {
      let thrown: unknown;
      try {
        expandLayout(spec, undefined);
      } catch (error) {
        thrown = error;
      }
      expect(isUsageError(thrown), spec).toBe(true);
    }
  });

  it('puts every service once first and leaves out repeats', () => {
    const layouts = layoutsFor(['cache-updater=1', 'slowest=3', 'embedding-indexer=3'], 'embedding-indexer');
    expect(layouts.map((layout) => layout.name)).toEqual([BASELINE_LAYOUT.name, 'embedding-indexer=3']);
    expect(processCount(layouts[1]!.replicas)).toBe(7);
    expect(processCount(BASELINE_LAYOUT.replicas)).toBe(5);
  });
});
