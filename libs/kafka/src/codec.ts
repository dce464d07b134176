/**
 * What the runtime needs from an event codec, and nothing more. @genstream/events' EventCodec is
 * an `EventCodec<EventTypes, EventInputTypes>`. Keeping the runtime generic over the event maps
 * means it never depends on which events exist, only on how to turn one into bytes and back.
 */

/** Event name -> event type, e.g. `{ GenerationRequested: GenerationRequested; ... }`. */
export type EventMap = object;

/** The names of an event map's events. */
export type EventNameOf<M extends EventMap> = keyof M & string;

export interface EventEncoder<I extends EventMap> {
  /** Rejects with InvalidEventError (with `details.paths`) when the event breaks its schema. */
  encode<N extends EventNameOf<I>>(name: N, event: I[N]): Promise<Buffer>;
}

export interface EventDecoder<M extends EventMap> {
  /**
   * Rejects with a permanent error (BadMagicError, UnknownSchemaError, TruncatedEventError) for
   * bytes that can never be read, a retriable one (RegistryUnavailableError) when reading must wait.
   */
  decode<N extends EventNameOf<M>>(name: N, bytes: Buffer): Promise<M[N]>;
}

/**
 * `M`: events as decoded; `I`: events as encode accepts them (the same names; fields with a
 * schema default may be left out).
 */
export interface EventCodec<M extends EventMap, I extends EventMap = M>
  extends EventEncoder<I>, EventDecoder<M> {}

/** The topic each event travels on, e.g. @genstream/events' TOPICS. */
export type TopicMap<M extends EventMap> = { readonly [N in EventNameOf<M>]: string };
