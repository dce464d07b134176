import type { RequestStatus } from '@genstream/cache';
import type { Document } from 'mongodb';
import type { SearchResult } from './client.js';
import type { Arrival } from './materialized.js';
import type { ContentRow, Expiring, VectorElement } from './stores.js';

/** Everything the demo shows about one request. */
export interface RequestReport {
  readonly index: number;
  readonly total: number;
  readonly user: string;
  readonly userId: number;
  readonly title: string;
  readonly requestId: string;
  readonly doneMs: number;
  readonly arrival: Arrival;
  readonly row: ContentRow | undefined;
  readonly rowCount: number;
  readonly document: Document | undefined;
  readonly status: RequestStatus | undefined;
  readonly summary: Expiring<string> | undefined;
  readonly cacheEntry: (Expiring<Record<string, unknown>> & { key: string }) | undefined;
  readonly vector: VectorElement | undefined;
  readonly neighbours: readonly SearchResult[];
}

export function formatRequestReport(r: RequestReport): string {
  const lines: string[] = [];
  const add = (line = '') => lines.push(line);
  add(`[${r.index}/${r.total}] "${r.title}", for ${r.user}, user ${r.userId}`);
  add(`      requestId ${r.requestId}   contentId ${r.arrival.contentId}`);
  add(
    `      done after ${ms(r.doneMs)} (POST to status done); in all four stores after ${ms(r.arrival.allMs)}: ` +
      `postgres ${ms(r.arrival.ms.postgres)}, mongo ${ms(r.arrival.ms.mongo)}, redis ${ms(r.arrival.ms.redis)}, ` +
      `vector set ${ms(r.arrival.ms.vectors)}`,
  );
  add();
  add('  PostgreSQL  ai_generated_content JOIN users JOIN models');
  if (r.row) {
    const row = r.row;
    add(`      id ${row.id}, content_id ${row.content_id}, request_id ${row.request_id}`);
    add(
      `      user ${row.user_id} (first seen ${iso(row.user_first_seen_at)}), model #${row.model_id ?? '-'} ` +
        `${row.model_name ?? '(none)'}, requested model "${row.requested_model}"`,
    );
    add(
      `      title "${row.title}", cache_hit ${row.cache_hit}, tokens ${row.prompt_tokens ?? '-'} in / ` +
        `${row.completion_tokens ?? '-'} out, latency_ms ${row.latency_ms}, generated_at ${iso(row.generated_at)}`,
    );
    add(`      output "${cut(row.output, 110)}"`);
    if (r.rowCount !== 1) add(`      !! ${r.rowCount} rows for this request (expected 1)`);
  } else add('      (no row)');
  add();
  add('  MongoDB     genstream.aiGenerated');
  if (r.document) {
    const d = r.document;
    add(
      `      _id ${String(d._id)}, requestId ${String(d.requestId)}, userId ${String(d.userId)}, ` +
        `modelUsed ${String(d.modelUsed)}, generatedAt ${iso(d.generatedAt)}`,
    );
    add(`      title "${String(d.title)}", summary "${cut(String(d.summary), 90)}"`);
    const main = new Set(['_id', 'requestId', 'userId', 'title', 'modelUsed', 'generatedAt', 'summary']);
    add(
      `      also: ${Object.keys(d)
        .filter((key) => !main.has(key))
        .join(', ')}`,
    );
  } else add('      (no document)');
  add();
  add('  Redis');
  add(`      genstream:status:${r.requestId}  ${describeStatus(r.status)}`);
  add(
    `      user:${r.userId}:summary  ${r.summary ? `TTL ${ttl(r.summary.ttlSeconds)}, "${cut(r.summary.value, 60)}"` : '(none)'}`,
  );
  add(
    `      ${r.cacheEntry ? `${shortKey(r.cacheEntry.key)}  TTL ${ttl(r.cacheEntry.ttlSeconds)}, content ${String(r.cacheEntry.value.contentId)}` : 'response cache entry: (none)'}`,
  );
  add(
    `      vector set genstream:vs:content element ${r.arrival.contentId}: ${r.vector ? `attributes ${JSON.stringify(r.vector.attributes)}` : '(missing)'}`,
  );
  add();
  add(`  Search      GET /v1/search?q=<its title>: its 3 nearest (each title once)`);
  if (r.neighbours.length === 0) add('      (no results)');
  r.neighbours.forEach((hit, i) => {
    const self = hit.contentId === r.arrival.contentId ? '  <- this one' : '';
    add(
      `      ${i + 1}. ${hit.score.toFixed(3)}  "${cut(hit.title ?? '(no title)', 60)}"  user ${hit.userId ?? '?'}${self}`,
    );
  });
  return lines.join('\n');
}

function describeStatus(status: RequestStatus | undefined): string {
  if (!status) return '(none)';
  switch (status.state) {
    case 'done':
      return `done, cacheHit ${status.cacheHit}, modelUsed ${status.modelUsed}`;
    case 'accepted':
      return 'accepted (not done yet)';
    case 'failed':
      return `failed: ${status.code}: ${status.message}`;
  }
}

export function ms(value: number): string {
  return value >= 1000 ? `${(value / 1000).toFixed(2)} s` : `${Math.round(value)} ms`;
}

function ttl(seconds: number): string {
  if (seconds < 0) return 'none (no expiry!)';
  if (seconds >= 3600) return `${(seconds / 3600).toFixed(1)} h`;
  if (seconds >= 60) return `${(seconds / 60).toFixed(1)} min`;
  return `${seconds} s`;
}

function iso(value: unknown): string {
  const date = value instanceof Date ? value : new Date(value as string | number);
  return Number.isNaN(date.getTime()) ? String(value) : date.toISOString();
}

export function cut(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ');
  return flat.length > max ? `${flat.slice(0, max - 3)}...` : flat;
}

function shortKey(key: string): string {
  return key.replace(/([0-9a-f]{12})[0-9a-f]{52}$/, '$1...');
}
