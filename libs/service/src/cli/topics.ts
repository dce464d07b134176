// npm run topics [-- --partitions N] [--dry-run], in an image node libs/service/dist/cli/topics.js:
// creates genstream's topics (the contract's four and
// their dead-letter topics, under TOPIC_PREFIX) with N partitions (default KAFKA_PARTITIONS, else 6),
// and raises to N those that have fewer. Kafka only adds partitions; a raise moves keys, so per-key
// order holds from then on (the services' writes are idempotent by key, so nothing is lost).
// Reads KAFKA_BROKERS, TOPIC_PREFIX and KAFKA_PARTITIONS like the services; with the local stack:
//   eval "$(npm run -s stack:env)" && npm run topics -- --partitions 12
import { parseArgs } from 'node:util';
import { integer, loadConfig } from '@genstream/config';
import { ensureContractTopics } from '@genstream/service/topics';

const USAGE = 'usage: npm run topics [-- --partitions N] [--dry-run]';

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: { partitions: { type: 'string' }, 'dry-run': { type: 'boolean', default: false } },
  });
  const partitions =
    values.partitions === undefined
      ? undefined
      : loadConfig({ partitions: integer({ min: 1, max: 10_000 }) }, { partitions: values.partitions })
          .partitions;
  const dryRun = values['dry-run'] === true;
  const { brokers, plan } = await ensureContractTopics(process.env, dryRun ? 'plan' : 'raise', partitions);
  const width = Math.max(...plan.map((item) => item.topic.length));
  for (const { topic, before, after, action } of plan) {
    const what = {
      created: `created with ${after}`,
      raised: `raised ${before} -> ${after}`,
      kept: `kept at ${after}`,
    };
    console.log(
      `${topic.padEnd(width)}  ${what[action]} partitions${dryRun && action !== 'kept' ? ' (dry run: not done)' : ''}`,
    );
  }
  const changed = plan.filter((item) => item.action !== 'kept').length;
  console.log(
    `\n${plan.length} topics on ${brokers.join(',')}: ${changed === 0 ? 'nothing to change' : `${changed} ${dryRun ? 'would change' : 'changed'}`}.`,
  );
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    console.error(`topics: ${error.message}\n${USAGE}`);
    process.exit(1);
  },
);
