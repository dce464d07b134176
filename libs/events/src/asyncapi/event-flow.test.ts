import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { EVENT_FLOW } from './event-flow.js';

const services = fileURLToPath(new URL('../../../../services/', import.meta.url));

/** The events a service's sources consume (`events: [...]`) and publish (`publish('Name'`). */
function declaredBy(service: string): { sent: Set<string>; received: Set<string> } {
  const sources = readdirSync(path.join(services, service, 'src'), { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts'))
    .map((file) => readFileSync(path.join(services, service, 'src', file), 'utf8'));
  const sent = new Set<string>();
  const received = new Set<string>();
  for (const text of sources) {
    for (const [, name] of text.matchAll(/\.publish(?:Many)?\(\s*'(\w+)'/g)) sent.add(name!);
    for (const [, list] of text.matchAll(/events:\s*\[([^\]]*)\]/g)) {
      for (const [, name] of list!.matchAll(/'(\w+)'/g)) received.add(name!);
    }
  }
  return { sent, received };
}

describe('EVENT_FLOW', () => {
  it('says what the services publish and consume, as their sources do', () => {
    const names = readdirSync(services, { withFileTypes: true }).filter((entry) => entry.isDirectory());
    for (const { name: service } of names) {
      const { sent, received } = declaredBy(service);
      const flow = Object.entries(EVENT_FLOW);
      expect([...sent].sort(), `${service} publishes`).toEqual(
        flow
          .filter(([, f]) => f.sentBy.includes(service))
          .map(([event]) => event)
          .sort(),
      );
      expect([...received].sort(), `${service} consumes`).toEqual(
        flow
          .filter(([, f]) => f.receivedBy.includes(service))
          .map(([event]) => event)
          .sort(),
      );
    }
  });
});
