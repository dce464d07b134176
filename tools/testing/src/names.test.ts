import { describe, expect, it } from 'vitest';
import { uniqueName } from './names.js';

describe('uniqueName', () => {
  it('gives distinct names that are valid topic, database and key names', () => {
    const names = new Set(Array.from({ length: 1000 }, () => uniqueName('Some Label!')));
    expect(names.size).toBe(1000);
    for (const name of names) expect(name).toMatch(/^t_some_label_[a-z0-9]+_[0-9a-f]{6}$/);
  });

  it('keeps names short enough for PostgreSQL identifiers (63 bytes)', () => {
    expect(uniqueName('x'.repeat(200)).length).toBeLessThanOrEqual(63);
  });
});
