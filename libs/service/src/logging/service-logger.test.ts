import { describe, expect, it } from 'vitest';
import { NestJsonLogger } from './nest-logger.js';
import { createServiceLogger } from './service-logger.js';

function capture(level: 'debug' | 'info' = 'info') {
  const lines: Record<string, unknown>[] = [];
  const logger = createServiceLogger('metadata-writer', level, (line) => {
    expect(line.endsWith('\n')).toBe(true);
    lines.push(JSON.parse(line) as Record<string, unknown>);
  });
  return { logger, lines };
}

describe('createServiceLogger', () => {
  it('writes JSON lines with the service, and children add their fields', () => {
    const { logger, lines } = capture();
    logger.info('batch written', { records: 3 });
    const child = logger.child({ requestId: 'r-1' });
    child.warn('slow', { ms: 900 });
    child.child({ contentId: 'c-1' }).error('refused');
    logger.debug('hidden at info');
    expect(lines).toEqual([
      expect.objectContaining({
        level: 'info',
        message: 'batch written',
        service: 'metadata-writer',
        records: 3,
      }),
      expect.objectContaining({
        level: 'warn',
        message: 'slow',
        service: 'metadata-writer',
        requestId: 'r-1',
        ms: 900,
      }),
      expect.objectContaining({
        level: 'error',
        service: 'metadata-writer',
        requestId: 'r-1',
        contentId: 'c-1',
      }),
    ]);
    expect(lines[0]).toHaveProperty('time');
  });
});

describe('NestJsonLogger', () => {
  it("turns Nest's calls into JSON lines with their context and stack", () => {
    const { logger, lines } = capture('debug');
    const nest = new NestJsonLogger(logger);
    nest.log('Nest application successfully started', 'NestApplication');
    nest.error('boom', 'Error: boom\n    at x', 'ExceptionsHandler');
    nest.verbose({ some: 'object' });
    nest.fatal(new Error('fatal one'));
    expect(lines).toEqual([
      expect.objectContaining({
        level: 'info',
        message: 'Nest application successfully started',
        context: 'NestApplication',
      }),
      expect.objectContaining({
        level: 'error',
        message: 'boom',
        context: 'ExceptionsHandler',
        stack: 'Error: boom\n    at x',
      }),
      expect.objectContaining({ level: 'debug', message: '{"some":"object"}' }),
      expect.objectContaining({
        level: 'error',
        message: 'fatal one',
        stack: expect.stringContaining('fatal one') as unknown,
      }),
    ]);
  });
});
