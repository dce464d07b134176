import { ContractViolationError } from '@genstream/errors';
import { aContentGenerated } from '@genstream/events/testing';
import { describe, expect, it } from 'vitest';
import { toContentDocument } from './content-document.js';

describe('toContentDocument', () => {
  it('keys the document by contentId, with the contract names and dates', () => {
    const event = aContentGenerated();
    const document = toContentDocument(event);
    expect(document).toMatchObject({
      _id: event.contentId,
      requestId: event.requestId,
      title: event.title,
      modelUsed: event.modelUsed,
      userId: event.userId,
      summary: event.output,
      generatedAt: new Date(event.generatedAt),
      requestedAt: new Date(event.requestedAt),
    });
    expect(Object.keys(document)[0]).toBe('_id');
  });

  it('carries every field of the event, including ones this code has never heard of', () => {
    const event = { ...aContentGenerated(), sentiment: { label: 'positive', score: 0.93 }, language: 'en' };
    const document = toContentDocument(event);
    const renamed: Record<string, string> = { contentId: '_id', output: 'summary' };
    for (const field of Object.keys(event)) expect(document).toHaveProperty([renamed[field] ?? field]);
    expect(document).toMatchObject({
      sentiment: { label: 'positive', score: 0.93 },
      language: 'en',
      usage: event.usage,
      parameters: event.parameters,
      cacheScope: event.cacheScope,
      tenant: event.tenant,
      correlationId: event.correlationId,
      causationId: null,
    });
    expect(document).not.toHaveProperty('output');
    expect(document).not.toHaveProperty('contentId');
  });

  it('refuses a timestamp no date can hold, naming the record', () => {
    const event = aContentGenerated({ generatedAt: Number.MAX_SAFE_INTEGER });
    expect(() => toContentDocument(event)).toThrow(ContractViolationError);
    expect(() => toContentDocument(event)).toThrow(event.contentId);
  });
});
