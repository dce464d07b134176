import { ConfigError } from '@genstream/errors';
import { describe, expect, it } from 'vitest';
import { parseReindexArguments } from './reindex-arguments.js';

describe('parseReindexArguments', () => {
  it('reads --embedder and an optional --batch-size (default 500)', () => {
    expect(parseReindexArguments(['--embedder', 'local'])).toEqual({
      embedder: { provider: 'local', dimension: 256 },
      batchSize: 500,
      help: false,
    });
    expect(parseReindexArguments(['--embedder=openai:text-embedding-3-small', '--batch-size', '50'])).toEqual(
      {
        embedder: { provider: 'openai', model: 'text-embedding-3-small' },
        batchSize: 50,
        help: false,
      },
    );
    expect(parseReindexArguments(['--help']).help).toBe(true);
  });

  it.each([
    [[], '--embedder NAME is required'],
    [['--embedder'], /argument missing/],
    [['--embedder', 'bert'], /is not an embedder/],
    [['--embedder', 'local', '--batch-size', '0'], /--batch-size must be an integer from 1 to 5000/],
    [['--embedder', 'local', '--batch-size', '2.5'], /--batch-size must be an integer/],
    [['--embedder', 'local', '--fast'], /Unknown option '--fast'/],
    [['local'], /Unexpected argument 'local'/],
  ] as const)('refuses %j with a ConfigError', (args, message) => {
    expect(() => parseReindexArguments(args)).toThrow(ConfigError);
    expect(() => parseReindexArguments(args)).toThrow(message);
  });
});
