import type { GenerationRequested } from '@genstream/events';
import { isUuid } from '@genstream/events';
import { silentLogger } from '@genstream/kafka';
import { describe, expect, it } from 'vitest';
import { GenerationRequests } from '../services/generation-requests.service.js';
import { RequestValidator } from '../services/request-validator.js';
import { GenerationsController } from './generations.controller.js';

function setup() {
  const published: GenerationRequested[] = [];
  const accepted: string[] = [];
  const requests = new GenerationRequests(
    {
      publish: async (_name: string, event: unknown) => {
        published.push(event as GenerationRequested);
      },
    },
    {
      markAccepted: async (requestId) => accepted.push(requestId) > 0,
      status: async () => undefined,
    },
    silentLogger,
  );
  const validator = new RequestValidator({ maxPromptChars: 100, knowsModel: (m) => m === 'local' });
  return { controller: new GenerationsController(requests, validator), published, accepted };
}

const body = { userId: 3, title: 'T', prompt: 'Say hi', model: 'local' };

describe('GenerationsController', () => {
  it('reads the body into a request with a new id and the header’s correlation id, then accepts it', async () => {
    const { controller, published, accepted } = setup();
    const answer = await controller.create(body, '  corr-1  ', undefined);
    expect(isUuid(answer.requestId)).toBe(true);
    expect(answer).toEqual({
      requestId: answer.requestId,
      status: 'accepted',
      statusUrl: `/v1/generations/${answer.requestId}`,
    });
    expect(published).toMatchObject([
      { requestId: answer.requestId, userId: 3, correlationId: 'corr-1', source: 'http-api' },
    ]);
    expect(accepted).toEqual([answer.requestId]);
  });

  it('publishes nothing for an invalid body', async () => {
    const { controller, published } = setup();
    await expect(controller.create({ ...body, prompt: '' }, undefined, undefined)).rejects.toMatchObject({
      code: 'CONTRACT_VIOLATION',
    });
    expect(published).toHaveLength(0);
  });

  it("takes the tenant from the caller's credential, never from the body", async () => {
    const { controller, published } = setup();
    const caller = { kind: 'api-key', subject: 'key:1', tenant: 'acme', scopes: ['generate'] } as const;
    await controller.create(body, undefined, caller);
    await controller.create({ ...body, tenant: 'acme' }, undefined, caller);
    expect(published.map((request) => request.tenant)).toEqual(['acme', 'acme']);
    await expect(controller.create({ ...body, tenant: 'globex' }, undefined, caller)).rejects.toMatchObject({
      status: 403,
      response: { code: 'TENANT_MISMATCH' },
    });
    expect(published).toHaveLength(2);
  });
});
