import type { IHeaders, KafkaMessage } from 'kafkajs';
import type { EventMap, EventNameOf } from './codec.js';

/** One decoded record as a batch handler sees it. */
export interface ConsumedRecord<E, N extends string = string> {
  readonly name: N;
  readonly event: E;
  /** The record key as UTF-8 text (the request id), null when the record had none. */
  readonly key: string | null;
  /** Header values as UTF-8 text; of a header repeated in one record, the last value. */
  readonly headers: Readonly<Record<string, string>>;
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  /** Milliseconds since the epoch, as stamped by the producer or broker. */
  readonly timestamp: number;
}

/** The record type of a consumer of events `N` of map `M`: a union discriminated by `name`. */
export type ConsumedRecordOf<M extends EventMap, N extends EventNameOf<M>> = {
  [K in N]: ConsumedRecord<M[K], K>;
}[N];

export function toConsumedRecord<E, N extends string>(
  name: N,
  event: E,
  topic: string,
  partition: number,
  message: KafkaMessage,
): ConsumedRecord<E, N> {
  return {
    name,
    event,
    key: message.key ? message.key.toString('utf8') : null,
    headers: headerTexts(message.headers),
    topic,
    partition,
    offset: message.offset,
    timestamp: Number(message.timestamp),
  };
}

function headerTexts(headers: IHeaders | undefined): Record<string, string> {
  const texts: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    const last = Array.isArray(value) ? value[value.length - 1] : value;
    if (last !== undefined) texts[name] = last.toString();
  }
  return texts;
}
