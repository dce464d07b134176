import { HttpException } from '@nestjs/common';
import { describe, expect, it } from 'vitest';
import { parseSearchQuery } from './search-query.js';

describe('parseSearchQuery', () => {
  it('reads q, k (default 5) and an optional userId', () => {
    expect(parseSearchQuery({ q: 'bike' })).toEqual({ q: 'bike', k: 5 });
    expect(parseSearchQuery({ q: 'bike', k: '100', userId: '-7' })).toEqual({
      q: 'bike',
      k: 100,
      userId: -7,
    });
    expect(parseSearchQuery({ q: 'bike', k: '', userId: '' })).toEqual({ q: 'bike', k: 5 });
  });

  it.each([
    [{}, 'q is required: the text to search for'],
    [{ q: '   ' }, 'q is required: the text to search for'],
    [{ q: 'x'.repeat(2_001) }, 'q must be at most 2000 characters'],
    [{ q: 'bike', k: '1.5' }, 'k must be an integer from 1 to 100'],
    [{ q: 'bike', k: '-1' }, 'k must be an integer from 1 to 100'],
    [{ q: 'bike', userId: '9007199254740993' }, 'userId must be an integer'],
    [{ q: ['a', 'b'] }, 'q must be given once, as plain text'],
  ])('refuses %j with 400 BAD_QUERY', (query, message) => {
    try {
      parseSearchQuery(query);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(HttpException);
      expect((error as HttpException).getStatus()).toBe(400);
      expect((error as HttpException).getResponse()).toEqual({ code: 'BAD_QUERY', message });
    }
  });
});
