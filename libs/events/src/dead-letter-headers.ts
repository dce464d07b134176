/**
 * The headers a dead letter adds to the original record (schemas/DEAD_LETTERS.md). Part of the
 * event contract, so it lives here: @genstream/kafka writes and reads them, the AsyncAPI document
 * describes them.
 */
export const DEAD_LETTER_HEADERS = {
  reasonCode: 'genstream.dlq.reason-code',
  reason: 'genstream.dlq.reason',
  originalTopic: 'genstream.dlq.original-topic',
  originalPartition: 'genstream.dlq.original-partition',
  originalOffset: 'genstream.dlq.original-offset',
  originalTimestamp: 'genstream.dlq.original-timestamp',
  service: 'genstream.dlq.service',
  failedAt: 'genstream.dlq.failed-at',
  errorDetails: 'genstream.dlq.error-details',
} as const;

/** What each header holds (UTF-8 text); the optional ones may be absent. */
export const DEAD_LETTER_HEADER_DOCS: {
  readonly [K in keyof typeof DEAD_LETTER_HEADERS]: { readonly doc: string; readonly optional?: true };
} = {
  reasonCode: {
    doc: 'The stable error code, e.g. EVENT_BAD_MAGIC; INTERNAL for errors that are not genstream errors.',
  },
  reason: { doc: 'The error message for humans, at most 1,000 characters.' },
  originalTopic: { doc: 'The topic the record was read from.' },
  originalPartition: { doc: 'Its partition, decimal.' },
  originalOffset: { doc: 'Its offset, decimal.' },
  originalTimestamp: { doc: 'Its timestamp, milliseconds since the epoch, decimal.', optional: true },
  service: { doc: 'The service (consumer) that failed on it.' },
  failedAt: { doc: 'When it failed, ISO 8601 UTC with milliseconds.' },
  errorDetails: {
    doc: "The error's machine-readable details as a JSON object, at most 4,000 characters.",
    optional: true,
  },
};
