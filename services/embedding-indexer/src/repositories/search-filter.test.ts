import { describe, expect, it } from 'vitest';
import { filterExpression } from './search-filter.js';

describe('filterExpression', () => {
  it('joins the given attributes, and is undefined without any', () => {
    expect(filterExpression({})).toBeUndefined();
    expect(filterExpression({ userId: 42 })).toBe('.userId == 42');
    expect(filterExpression({ userId: 42, model: 'local' })).toBe('.userId == 42 and .model == "local"');
    expect(filterExpression({ userId: 42, tenant: 'acme' })).toBe('.userId == 42 and .tenant == "acme"');
  });

  it('quotes a string with the quote it does not contain, since the filter language has no escapes', () => {
    expect(filterExpression({ model: 'say "hi"' })).toBe(`.model == 'say "hi"'`);
    expect(() => filterExpression({ model: `it's "both"` })).toThrow(RangeError);
  });

  it('refuses a user id that is not an integer (it would be spliced into the expression)', () => {
    expect(() => filterExpression({ userId: 1.5 })).toThrow(RangeError);
    expect(() => filterExpression({ userId: Number.NaN })).toThrow(RangeError);
  });
});
