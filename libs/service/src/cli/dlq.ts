// npm run dlq -- list|show|redrive [ids] [filters], in an image node libs/service/dist/cli/dlq.js:
// lists the dead letters of genstream's topics (every `<topic>.dlq` under TOPIC_PREFIX), shows one
// with its reason and original record, and redrives chosen ones: each original record is
// republished to its original topic once (marked with genstream.redrive.* headers; a record a
// redrive already republished is skipped), with --dry-run saying what it would do.
// Reads KAFKA_BROKERS, TOPIC_PREFIX and SCHEMA_REGISTRY_URL like the services; with the local stack:
//   eval "$(npm run -s stack:env)" && npm run dlq -- list --code EVENT_UNKNOWN_SCHEMA --since 2h
import { loadConfig } from '@genstream/config';
import { TOPICS, contractTopics, createEventCodec, type EventName } from '@genstream/events';
import { DeadLetterTool, type StoredDeadLetter } from '@genstream/kafka';
import { commonConfig } from '@genstream/service/config';
import { DLQ_USAGE, isNarrowed, parseDlqArguments } from '../kafka/dead-letter-command.js';
import {
  formatDeadLetter,
  formatDeadLetterTable,
  formatProgress,
  formatRedriveItem,
  type Decoded,
} from '../kafka/dead-letter-format.js';

async function main(): Promise<number> {
  const { KAFKA_BROKERS, TOPIC_PREFIX, SCHEMA_REGISTRY_URL } = commonConfig('generation');
  const config = loadConfig({ KAFKA_BROKERS, TOPIC_PREFIX, SCHEMA_REGISTRY_URL }, process.env);
  const args = parseDlqArguments(process.argv.slice(2), config.TOPIC_PREFIX);
  if (args.command === 'redrive' && !isNarrowed(args.filter) && !args.all) {
    throw new Error('redrive of every dead letter there is needs --all (or give ids or filters)');
  }
  await using tool = await DeadLetterTool.connect(config.KAFKA_BROKERS);
  const dlqTopics = contractTopics(config.TOPIC_PREFIX).filter((topic) => topic.endsWith('.dlq'));
  const found = await tool.find(dlqTopics, args.filter);
  const summary =
    `${found.letters.length} dead letters chosen of ${found.read} records on ${found.topics.length} ` +
    `dead-letter topics` +
    (found.unreadable.length > 0 ? ` (${found.unreadable.length} records that are no dead letter)` : '');
  switch (args.command) {
    case 'list': {
      const shown = found.letters.slice(-args.limit);
      if (shown.length > 0) console.log(formatDeadLetterTable(shown));
      const cut = found.letters.length - shown.length;
      console.log(`\n${summary}${cut > 0 ? `; the oldest ${cut} not shown (--limit)` : ''}.`);
      return 0;
    }
    case 'show': {
      const decode = decoder(config.TOPIC_PREFIX, config.SCHEMA_REGISTRY_URL);
      for (const stored of found.letters.slice(0, args.limit)) {
        console.log(`${formatDeadLetter(stored, await decode(stored))}\n`);
      }
      console.log(`${summary}.`);
      return found.letters.length === 0 ? 1 : 0;
    }
    case 'redrive': {
      console.log(`${summary}${args.dryRun ? '; dry run: nothing is published' : ''}.`);
      const report = await tool.redrive(found.letters, {
        dryRun: args.dryRun,
        onProgress: (progress) => console.error(formatProgress(progress)),
      });
      for (const item of report.items) console.log(formatRedriveItem(item));
      const would = args.dryRun ? report.items.length - report.skipped : report.published;
      console.log(
        `\n${report.items.length} original records: ${would} ${args.dryRun ? 'would be published' : 'published'}, ` +
          `${report.skipped} already redriven.`,
      );
      return 0;
    }
  }
}

/** Decodes an original record with the event of its topic, as the services would. */
function decoder(prefix: string, registryUrl: string | undefined) {
  const codec = createEventCodec(registryUrl === undefined ? {} : { registry: { url: registryUrl } });
  const names = new Map(
    Object.entries(TOPICS).map(([name, topic]) => [`${prefix}${topic}`, name as EventName]),
  );
  return async ({ letter }: StoredDeadLetter): Promise<Decoded> => {
    const name = names.get(letter.originalTopic);
    if (name === undefined) return { problem: `no event is published on ${letter.originalTopic}` };
    if (letter.value === null) return { problem: 'the value is null' };
    try {
      return { json: await codec.decode(name, letter.value) };
    } catch (error) {
      return { problem: (error as Error).message };
    }
  };
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    console.error(`dlq: ${error.message}\n${DLQ_USAGE}`);
    process.exit(1);
  },
);
