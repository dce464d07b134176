import type { EmbeddingProvider } from '@genstream/embeddings';
import type { EventInputTypes, EventTypes } from '@genstream/events';
import { KafkaRuntime, type Logger, type OffsetsClient, type PartitionEnd } from '@genstream/kafka';
import { kafkaRuntimeOptionsFor, topicsFor } from '@genstream/service';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Config } from '../config.js';
import type { VectorIndexRepository } from '../repositories/vector-index-repository.js';
import type { StoredReindex, VectorSetAliasRepository } from '../repositories/vector-set-alias.repository.js';
import { newReindex, resumable, type ReindexEmbedder } from './reindex-plan.js';
import { RateMeter, formatProgress, progressOf, reached } from './reindex-progress.js';
import type { ReindexSummary } from './reindex-summary.js';
import { reindexWriter, type WriterCounts } from './reindex-writer.js';

export const REINDEX_CLIENT = 'embedding-indexer-reindex';

export interface ReindexerOptions {
  readonly config: Config;
  readonly embedder: EmbeddingProvider;
  /** The canonical `--embedder` spec of `embedder`. */
  readonly spec: string;
  readonly batchSize: number;
  readonly alias: VectorSetAliasRepository;
  /** The index of one set (the new one), written without the alias guard: only a reindex builds it. */
  readonly indexOf: (set: string) => Pick<VectorIndexRepository, 'addBatch'>;
  readonly offsets: OffsetsClient;
  readonly logger: Logger;
  /** Milestones (begun, resumed, switched, dropped). */
  readonly say: (line: string) => void;
  /** Progress lines. */
  readonly progress: (line: string) => void;
  readonly progressEveryMs?: number;
}

class Interrupted extends Error {}

/**
 * One run of `npm run reindex`: content.generated from its beginning, in a consumer group of its
 * own, into the next versioned vector set; then the switch of the alias and the drop of the old
 * set. Every step is recorded in Redis or in the group's offsets, so a run killed anywhere is
 * resumed by the next with the same embedder.
 *
 * Why nothing arriving meanwhile is lost: the live indexer writes the set the alias names, each
 * write checked against the alias as it lands (VectorIndexRepository's guarded add). Before the
 * switch it writes the old set and this reindex reads the same records into the new one; after
 * it, the live indexer writes the new set. Whatever it wrote to the old set before the switch has
 * an offset below the topic's end as read right after the switch, and the reindex drains up to
 * there before it drops the old set, so every content is in the new set once.
 */
export class Reindexer {
  private readonly topic: string;
  private readonly counts: WriterCounts = { written: 0, refused: 0 };
  private runtime: KafkaRuntime<EventTypes, EventInputTypes> | undefined;
  private stopping = false;

  constructor(private readonly options: ReindexerOptions) {
    this.topic = topicsFor(options.config.TOPIC_PREFIX).ContentGenerated;
  }

  async run(): Promise<ReindexSummary> {
    const startedAt = Date.now();
    const { alias, say } = this.options;
    const embedder = await this.probe();
    const stored = resumable(await alias.reindex(), embedder);
    const resumed = stored !== undefined;
    let reindex: StoredReindex = stored ?? (await this.begin(embedder));
    if (resumed) {
      const { done, total } = progressOf(
        await this.options.offsets.groupPositions(reindex.group, this.topic, reindex.ends),
        reindex.ends,
      );
      say(
        `resuming the reindex into ${reindex.set} (version ${reindex.version}, ${reindex.spec}, begun ` +
          `${new Date(reindex.startedAt).toISOString()}, ${reindex.phase}) from its committed offsets: ` +
          `${done.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} records done`,
      );
    }
    const summaryOf = (interrupted: boolean, dropped = false, elements = 0): ReindexSummary => ({
      version: reindex.version,
      set: reindex.set,
      spec: reindex.spec,
      embedderName: embedder.name,
      dimension: embedder.dimension,
      resumed,
      total: reindex.ends.reduce((sum, end) => sum + Number(end.high) - Number(end.low), 0),
      written: this.counts.written,
      refused: this.counts.refused,
      elements,
      previous: reindex.previous.set,
      dropped,
      seconds: (Date.now() - startedAt) / 1000,
      interrupted,
    });

    try {
      await this.startConsumer(reindex);
      reindex = await this.build(reindex);
    } catch (error) {
      if (error instanceof Interrupted) return summaryOf(true);
      throw error;
    } finally {
      await this.runtime?.stop();
    }
    const dropped = reindex.previous.set !== reindex.set && (await alias.dropSet(reindex.previous.set));
    if (dropped) say(`dropped the old set ${reindex.previous.set}`);
    await this.options.offsets.deleteGroup(reindex.group);
    await alias.clearReindex();
    return summaryOf(false, dropped, await alias.countOf(reindex.set));
  }

  /** Stops at the next step (a signal): what is committed stays, the next run resumes from it. */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.runtime?.stop();
  }

  /** Copies, catches up with the live end, switches, drains what the live indexer did before the switch. */
  private async build(reindex: StoredReindex): Promise<StoredReindex> {
    const label = `reindex v${reindex.version}`;
    if (reindex.phase === 'copying') {
      await this.follow(reindex, reindex.ends, label);
      // What arrived while copying, so that search switches to a set that is complete.
      await this.follow(reindex, await this.options.offsets.topicEnds(this.topic), `${label} catching up`);
      reindex = await this.options.alias.switchTo(reindex);
      this.options.say(
        `switched: search and the live indexer now use ${reindex.set}, built by ${reindex.spec} ` +
          `(${reindex.embedder.name}, ${reindex.embedder.dimension} dimensions)`,
      );
    }
    await this.follow(reindex, await this.options.offsets.topicEnds(this.topic), `${label} draining`);
    return reindex;
  }

  /** The embedder's name and dimension, from one call: an unreachable endpoint fails here, before anything. */
  private async probe(): Promise<ReindexEmbedder> {
    const [vector] = await this.options.embedder.embed(['genstream reindex probe']);
    return { spec: this.options.spec, name: this.options.embedder.name, dimension: vector?.length ?? 0 };
  }

  private async begin(embedder: ReindexEmbedder): Promise<StoredReindex> {
    const { alias, config } = this.options;
    const reindex = newReindex({
      names: alias.names,
      topicPrefix: config.TOPIC_PREFIX,
      version: await alias.nextVersion(),
      embedder,
      previous: await alias.current(),
      ends: await this.options.offsets.topicEnds(this.topic),
      now: Date.now(),
    });
    if (!(await alias.claimReindex(reindex))) {
      // Another run began one between our read and our claim: resume its, or refuse it.
      return resumable(await alias.reindex(), embedder) ?? reindex;
    }
    this.options.say(
      `reindexing ${this.topic} from its beginning into ${reindex.set} (version ${reindex.version}) ` +
        `with ${reindex.spec} (${embedder.name}, ${embedder.dimension} dimensions), consumer group ${reindex.group}; ` +
        `search reads ${reindex.previous.set} until the switch`,
    );
    return reindex;
  }

  private async startConsumer(reindex: StoredReindex): Promise<void> {
    const { config, logger, batchSize } = this.options;
    this.runtime = new KafkaRuntime<EventTypes, EventInputTypes>(
      kafkaRuntimeOptionsFor(config, REINDEX_CLIENT, logger, { topicCreation: false }),
    );
    this.runtime.consume({
      groupId: reindex.group,
      events: ['ContentGenerated'],
      handler: reindexWriter(this.options.embedder, this.options.indexOf(reindex.set), this.counts),
      settings: { fromBeginning: true, maxBatchRecords: batchSize },
    });
    await this.runtime.start();
  }

  /** Waits until the group has committed everything before `ends`, printing progress as it goes. */
  private async follow(reindex: StoredReindex, ends: readonly PartitionEnd[], label: string): Promise<void> {
    const everyMs = this.options.progressEveryMs ?? 2_000;
    const meter = new RateMeter();
    let printedAt = 0;
    for (;;) {
      if (this.stopping) throw new Interrupted();
      const positions = await this.options.offsets.groupPositions(reindex.group, this.topic, ends);
      const progress = progressOf(positions, ends);
      const now = Date.now();
      meter.record(now, progress.done);
      const done = reached(positions, ends);
      if (done || now - printedAt >= everyMs) {
        this.options.progress(formatProgress(label, progress, meter));
        printedAt = now;
      }
      if (done) return;
      await sleep(500);
    }
  }
}
