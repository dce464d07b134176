import { aContentGenerated } from '@genstream/events/testing';
import { describe, expect, it } from 'vitest';
import { recordOf } from './consumed-records.js';

describe('recordOf', () => {
  it('puts an event on its contract topic, keyed by its request id, at the given offset', () => {
    const event = aContentGenerated();
    expect(recordOf('ContentGenerated', event, 3)).toEqual({
      name: 'ContentGenerated',
      event,
      key: event.requestId,
      headers: {},
      topic: 'genstream.content.generated',
      partition: 0,
      offset: '3',
      timestamp: 0,
    });
  });

  it('takes the place it is given, and has no key for an event without a request id', () => {
    expect(recordOf('Ping', { n: 1 }, 0, { topic: 't', partition: 2, key: null })).toMatchObject({
      topic: 't',
      partition: 2,
      key: null,
    });
    expect(recordOf('Ping', { n: 1 }, 0).key).toBeNull();
    expect(recordOf('Ping', { n: 1 }, 0).topic).toBe('Ping');
  });
});
