import type { RequestStatus } from '@genstream/cache';
import type { GenerationRequested } from '@genstream/events';
import { aGenerationRequested } from '@genstream/events/testing';
import { StoreUnavailableError } from '@genstream/errors';
import { silentLogger } from '@genstream/kafka';
import { describe, expect, it } from 'vitest';
import {
  GenerationRequests,
  RequestIdInvalidError,
  RequestNotFoundError,
} from './generation-requests.service.js';
import type { StatusStore } from './ports.js';

function setup() {
  const published: GenerationRequested[] = [];
  const statuses = new Map<string, RequestStatus>();
  const store: StatusStore = {
    markAccepted: async (requestId) => {
      if (statuses.has(requestId)) return false;
      statuses.set(requestId, { state: 'accepted', acceptedAt: 1 });
      return true;
    },
    status: async (requestId) => statuses.get(requestId),
  };
  const publisher = {
    publish: async (_name: string, event: unknown) => {
      published.push(event as GenerationRequested);
    },
  };
  const requests = new GenerationRequests(publisher, store, silentLogger);
  return { requests, published, statuses, store };
}

const request = aGenerationRequested({ requestId: '11111111-2222-4333-8444-555555555555' });

describe('GenerationRequests', () => {
  it('publishes the request, marks it accepted and answers where to poll', async () => {
    const { requests, published, statuses } = setup();
    expect(await requests.accept(request)).toEqual({
      requestId: '11111111-2222-4333-8444-555555555555',
      status: 'accepted',
      statusUrl: '/v1/generations/11111111-2222-4333-8444-555555555555',
    });
    expect(published).toEqual([request]);
    expect(statuses.get('11111111-2222-4333-8444-555555555555')?.state).toBe('accepted');
    expect(await requests.status('11111111-2222-4333-8444-555555555555')).toEqual({
      requestId: '11111111-2222-4333-8444-555555555555',
      state: 'accepted',
    });
  });

  it('still accepts when only the early status cannot be written', async () => {
    const { requests, published, store } = setup();
    store.markAccepted = () => Promise.reject(new StoreUnavailableError('Redis down'));
    await expect(requests.accept(request)).resolves.toMatchObject({ status: 'accepted' });
    expect(published).toHaveLength(1);
  });

  it('shows done and failed statuses, refuses ids that are not UUIDs, 404s unknown ones', async () => {
    const { requests, statuses } = setup();
    const done = 'aaaaaaaa-2222-4333-8444-555555555555';
    const failed = 'bbbbbbbb-2222-4333-8444-555555555555';
    statuses.set(done, {
      state: 'done',
      contentId: 'cccccccc-2222-5333-8444-555555555555',
      output: 'Hi',
      modelUsed: 'local-extractive-v1',
      generatedAt: 5,
      cacheHit: 'EXACT',
    });
    statuses.set(failed, { state: 'failed', code: 'PROVIDER_REJECTED', message: 'refused', failedAt: 6 });

    expect(await requests.status(done.toUpperCase())).toEqual({
      requestId: done,
      state: 'done',
      contentId: 'cccccccc-2222-5333-8444-555555555555',
      output: 'Hi',
      modelUsed: 'local-extractive-v1',
      cacheHit: 'EXACT',
      generatedAt: 5,
    });
    expect(await requests.status(failed)).toEqual({
      requestId: failed,
      state: 'failed',
      error: { code: 'PROVIDER_REJECTED', message: 'refused' },
    });
    await expect(requests.status('nope')).rejects.toBeInstanceOf(RequestIdInvalidError);
    await expect(requests.status('dddddddd-2222-4333-8444-555555555555')).rejects.toBeInstanceOf(
      RequestNotFoundError,
    );
  });
});
