import { describe, expect, it } from 'vitest';
import type { CachedResponse } from './cache-records.js';
import { parseCachedResponse, parseRequestStatus } from './parse-records.js';

const entry: CachedResponse = {
  contentId: 'c1',
  requestId: 'r1',
  output: 'Hi',
  modelUsed: 'local-extractive-v1',
  generatedAt: 5,
  usage: { promptTokens: 3, completionTokens: null },
};
const text = (value: unknown) => JSON.stringify(value);

describe('parseCachedResponse', () => {
  it('reads an entry back field by field, leaving unknown fields out', () => {
    expect(parseCachedResponse(text({ ...entry, extra: 'x' }))).toEqual(entry);
  });

  it.each([
    ['text that is not JSON', 'not json'],
    ['an array', '[]'],
    ['a field of the wrong type', text({ ...entry, contentId: 1 })],
    ['a missing field', text({ ...entry, modelUsed: undefined })],
    ['no usage', text({ ...entry, usage: null })],
  ])('treats %s as absent', (_label, stored) => {
    expect(parseCachedResponse(stored)).toBeUndefined();
  });

  it('takes a token count that is not a whole number as unknown', () => {
    expect(
      parseCachedResponse(text({ ...entry, usage: { promptTokens: 1.5, completionTokens: '7' } })),
    ).toEqual({
      ...entry,
      usage: { promptTokens: null, completionTokens: null },
    });
  });

  it('adds the fields `extra` reads from the same entry', () => {
    const latency = (fields: Readonly<Record<string, unknown>>) => ({
      latencyMs: typeof fields.latencyMs === 'number' ? fields.latencyMs : null,
    });
    expect(parseCachedResponse(text({ ...entry, latencyMs: 12 }), latency)).toEqual({
      ...entry,
      latencyMs: 12,
    });
    expect(parseCachedResponse(text(entry), latency)).toEqual({ ...entry, latencyMs: null });
  });
});

describe('parseRequestStatus', () => {
  it('reads the three states and refuses any other shape', () => {
    expect(parseRequestStatus(text({ state: 'accepted', acceptedAt: 1 }))).toEqual({
      state: 'accepted',
      acceptedAt: 1,
    });
    expect(parseRequestStatus(text({ state: 'failed', code: 'X', message: 'y', failedAt: 2 }))).toMatchObject(
      {
        state: 'failed',
      },
    );
    expect(parseRequestStatus(text({ state: 'done', contentId: 'c' }))).toBeUndefined();
    expect(parseRequestStatus(text({ state: 'exploded' }))).toBeUndefined();
  });
});
