import { ContractViolationError, StoreUnavailableError } from '@genstream/errors';
import { aContentGenerated } from '@genstream/events/testing';
import { silentLogger } from '@genstream/kafka';
import { recordOf } from '@genstream/kafka/testing';
import { describe, expect, it } from 'vitest';
import { DocumentWriter, type DocumentStore } from './document-writer.service.js';

describe('DocumentWriter', () => {
  it('fails exactly the records of each refused document, all their copies', async () => {
    const events = Array.from({ length: 4 }, () => aContentGenerated());
    const refusal = new ContractViolationError('too big', { details: { contentId: events[2]!.contentId } });
    const store: DocumentStore = {
      saveBatch: async () => ({
        inserted: 3,
        duplicates: 1,
        failed: [{ contentId: events[2]!.contentId, error: refusal }],
      }),
    };
    const outcome = await new DocumentWriter(store, silentLogger).write(
      [...events, events[2]!].map((event, offset) => recordOf('ContentGenerated', event, offset)),
    );
    expect(outcome.failed).toEqual([
      { record: expect.objectContaining({ offset: '2' }) as unknown, error: refusal },
      { record: expect.objectContaining({ offset: '4' }) as unknown, error: refusal },
    ]);
  });

  it('reports nothing when every document was written, and throws an outage', async () => {
    const records = [recordOf('ContentGenerated', aContentGenerated(), 0)];
    const ok: DocumentStore = { saveBatch: async () => ({ inserted: 1, duplicates: 0, failed: [] }) };
    expect(await new DocumentWriter(ok, silentLogger).write(records)).toEqual({ failed: [] });
    const down: DocumentStore = { saveBatch: () => Promise.reject(new StoreUnavailableError('down')) };
    await expect(new DocumentWriter(down, silentLogger).write(records)).rejects.toThrow(
      StoreUnavailableError,
    );
  });
});
