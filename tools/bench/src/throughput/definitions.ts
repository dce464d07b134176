/** Written into the result and printed: what is compared with what. */
export function definitionsFor(concurrency: number, sampleMs: number): string[] {
  return [
    `Concurrency C=${concurrency}, the same for both: each run hands N fresh requests at once to C workers; ` +
      'a worker takes the next request when it is free. A genstream worker publishes the request on Kafka ' +
      "through genstream's own publisher (@genstream/kafka: Avro single-object encoding, idempotent " +
      'producer, concurrent publishes coalesced into one request within 5 ms, as in the generation API) and ' +
      'is free once the broker acknowledges it; the pipeline does the rest. A baseline worker is the seed ' +
      "tutorial's handler: it is free once its own writes are done.",
    'Baseline handler, per request, each step awaited before the next: LocalProvider.generate (same model, ' +
      "no simulated latency), its ContentGenerated built by the generation service's own code; PostgreSQL users upsert, then content insert (one statement each, autocommit, " +
      'same tables and indexes as the metadata-writer via its migrations, own schema); MongoDB insertOne of ' +
      'the same document (own database, same indexes); the response cache entry, the done status and the ' +
      "user summary in one pipeline (the cache-updater's ResponseCacheRepository.writeGenerated); " +
      'LocalHashedEmbedder of title + output and one pipeline of VADD (FP32, Q8, attributes) and the ' +
      "hydration HSET (the embedding-indexer's VectorIndexRepository.addBatch), own key prefix. Not included: the response cache lookup and the single-flight " +
      'lock that genstream does per request, and the ContentIndexed event it publishes.',
    'Latency = first seen in its last store - the moment a worker started on it (genstream: publish began; ' +
      'baseline: handler began). A baseline request waits for a free worker before that moment, uncounted; ' +
      "genstream's queue is inside the pipeline (Kafka backlog) and counted. Latency from burst counts " +
      'every queue for both: seen in its last store - the moment the N requests were handed over.',
    'PostgreSQL, Redis and the vector set of both systems are polled the same way (content_id = ANY($1), ' +
      'MGET of the status keys, a VISMEMBER pipeline; each re-checked after the poll pause): such a time is ' +
      'an upper bound, late by up to one poll interval (shown per store).',
    'MongoDB is not timed by polling: FerretDB v1 answers _id $in with a scan of the whole collection in ' +
      'its Go layer over a snapshot (0.3-0.8 s per check at 2,000 documents on this machine), so a polled ' +
      'document shows one to two scans late, and the scans slow the writers. Its time is the write ' +
      'acknowledgement instead: baseline, its insertOne resolved; genstream, the document-writer group ' +
      "committed past the request's ContentGenerated (it commits only after insertMany was acknowledged; " +
      'offsets fetched every poll pause). Every document is still confirmed by _id $in before a run ends.',
    `Resident memory: VmRSS of each service process and its descendants from /proc, sampled every ${sampleMs} ` +
      'ms during the measured genstream runs; the bench process (publisher or baseline handler, plus ' +
      'the poller) is sampled in both. A peak shorter than the sample interval can be missed.',
  ];
}
