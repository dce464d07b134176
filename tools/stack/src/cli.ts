// `npm run stack:up | stack:down | stack:status | stack:env`: the local servers, without Docker.
import { CORE_SERVER_NAMES, SERVER_NAMES, isServerName, loadStackConfig, type ServerName } from './config.js';
import { formatStatusTable } from './table.js';
import { stackDown, stackEnv, stackStatus, stackUp } from './stack.js';
import { ensureGenstreamTopics } from './topics.js';

const USAGE = [
  'usage: stack up [--brokers 1|3] [server...] | down [server...] | status [server...] | env',
  '--brokers 3: Kafka as a three-node KRaft cluster (replication factor 3, min.insync.replicas 2).',
  `servers: ${SERVER_NAMES.join(', ')}. With none named: ${CORE_SERVER_NAMES.join(', ')}, and the`,
  'registry too once `up registry` has started it (until `down` stops it).',
].join('\n');

class UsageError extends Error {}

async function main([command, ...rest]: string[]): Promise<number> {
  const { brokers, args } = brokersOption(rest);
  if (brokers !== undefined && command !== 'up') throw new UsageError('only up takes --brokers');
  const config = loadStackConfig(
    brokers === undefined ? process.env : { ...process.env, GENSTREAM_KAFKA_BROKERS: brokers },
  );
  const names = serverNames(args);
  switch (command) {
    case 'up': {
      const started = Date.now();
      const { servers } = await stackUp(config, names);
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      console.log(
        `\n${servers.length === 1 ? 'It answers' : `All ${servers.length} servers answer`} (${seconds} s):\n`,
      );
      console.log(formatStatusTable(servers));
      const kafka = servers.find((server) => server.name === 'kafka');
      if (kafka) console.log(`\n${await ensureGenstreamTopics(kafka.address)}`);
      console.log('\nPoint a shell at them with: eval "$(npm run -s stack:env)"');
      return 0;
    }
    case 'down':
      await stackDown(config, names);
      return 0;
    case 'status': {
      const servers = await stackStatus(config, names);
      console.log(formatStatusTable(servers));
      const unhealthy = servers.filter((server) => server.state !== 'running' && server.state !== 'external');
      if (unhealthy.length > 0) {
        const which = unhealthy.map((s) => s.name);
        const up = names.length > 0 ? `npm run stack:up -- ${which.join(' ')}` : 'npm run stack:up';
        console.log(`\nNot healthy: ${which.join(', ')}. Run: ${up}`);
      }
      return unhealthy.length > 0 ? 1 : 0;
    }
    case 'env':
      if (names.length > 0) throw new UsageError('env takes no server names');
      // `export`: eval "$(npm run -s stack:env)" then reaches the commands the shell runs, not only itself.
      for (const [key, value] of Object.entries(stackEnv(config))) console.log(`export ${key}='${value}'`);
      return 0;
    default:
      throw new UsageError(command === undefined ? 'no command' : `unknown command "${command}"`);
  }
}

/** `--brokers N` or `--brokers=N`, taken out of the arguments. */
function brokersOption(args: readonly string[]): { brokers?: string; args: string[] } {
  const index = args.findIndex((arg) => arg === '--brokers' || arg.startsWith('--brokers='));
  if (index === -1) return { args: [...args] };
  const arg = args[index]!;
  const inline = arg.includes('=');
  const brokers = inline ? arg.slice(arg.indexOf('=') + 1) : args[index + 1];
  if (!brokers) throw new UsageError('--brokers needs a number');
  return { brokers, args: args.filter((_, i) => i !== index && (inline || i !== index + 1)) };
}

function serverNames(args: readonly string[]): ServerName[] {
  const unknown = args.filter((arg) => !isServerName(arg));
  if (unknown.length > 0) throw new UsageError(`unknown server ${unknown.map((a) => `"${a}"`).join(', ')}`);
  return args.filter(isServerName);
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: Error) => {
    if (error instanceof UsageError) {
      console.error(`${error.message}\n${USAGE}`);
      process.exit(2);
    }
    console.error(`\n${error.message}`);
    process.exit(1);
  },
);
