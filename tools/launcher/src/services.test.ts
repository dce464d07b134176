import { describe, expect, it } from 'vitest';
import { MAX_REPLICAS, parseReplicas, serviceSpecs } from './services.js';

describe('serviceSpecs', () => {
  it('gives each of the five services one instance on its port, shifted by the offset', () => {
    const specs = serviceSpecs({ portOffset: 100 });
    expect(specs.map((spec) => [spec.label, spec.instance, spec.port])).toEqual([
      ['generation', 0, 8280],
      ['metadata-writer', 0, 8281],
      ['document-writer', 0, 8282],
      ['cache-updater', 0, 8283],
      ['embedding-indexer', 0, 8284],
    ]);
  });

  it('runs replicas on ports ten apart, labelled name#n, beside the services that run once', () => {
    const specs = serviceSpecs({
      replicas: { 'metadata-writer': 3 },
      only: ['generation', 'metadata-writer'],
    });
    expect(specs.map((spec) => [spec.label, spec.name, spec.instance, spec.url])).toEqual([
      ['generation', 'generation', 0, 'http://127.0.0.1:8180'],
      ['metadata-writer#1', 'metadata-writer', 0, 'http://127.0.0.1:8181'],
      ['metadata-writer#2', 'metadata-writer', 1, 'http://127.0.0.1:8191'],
      ['metadata-writer#3', 'metadata-writer', 2, 'http://127.0.0.1:8201'],
    ]);
  });

  it('takes one exact port per instance, and refuses too few', () => {
    const specs = serviceSpecs({
      only: ['cache-updater'],
      replicas: { 'cache-updater': 2 },
      ports: { 'cache-updater': [5001, 5007] },
    });
    expect(specs.map((spec) => spec.port)).toEqual([5001, 5007]);
    expect(() =>
      serviceSpecs({
        only: ['cache-updater'],
        replicas: { 'cache-updater': 3 },
        ports: { 'cache-updater': [5001, 5007] },
      }),
    ).toThrow('no port given for instance 3 of cache-updater');
  });

  it(`refuses 0 or more than ${MAX_REPLICAS} instances`, () => {
    expect(() => serviceSpecs({ replicas: { generation: 0 } })).toThrow(
      'replicas of generation: from 1 to 9, not 0',
    );
    expect(() => serviceSpecs({ replicas: { generation: MAX_REPLICAS + 1 } })).toThrow('not 10');
  });
});

describe('parseReplicas', () => {
  it('reads service=count pairs, spaces and empty parts ignored', () => {
    expect(parseReplicas(' metadata-writer=3, embedding-indexer=2,')).toEqual({
      'metadata-writer': 3,
      'embedding-indexer': 2,
    });
    expect(parseReplicas('')).toEqual({});
  });

  it('names what is wrong: the shape, an unknown service, a count out of range', () => {
    expect(() => parseReplicas('metadata-writer:3')).toThrow('"metadata-writer:3" is not service=count');
    expect(() => parseReplicas('search=2')).toThrow('unknown service search');
    expect(() => parseReplicas('generation=12')).toThrow('from 1 to 9, not 12');
  });
});
