// `npm run stack:up | stack:down | stack:status | stack:env`: the local servers, without Docker.
import { loadStackConfig } from './config.js';
import { formatStatusTable } from './table.js';
import { stackDown, stackEnv, stackStatus, stackUp } from './stack.js';

const USAGE = 'usage: stack <up|down|status|env>';

async function main(command: string | undefined): Promise<number> {
  const config = loadStackConfig();
  switch (command) {
    case 'up': {
      const started = Date.now();
      const { servers } = await stackUp(config);
      console.log(
        `\nAll ${servers.length} servers answer (${((Date.now() - started) / 1000).toFixed(1)} s):\n`,
      );
      console.log(formatStatusTable(servers));
      console.log('\nPoint a shell at them with: eval "$(npm run -s stack:env)"');
      return 0;
    }
    case 'down':
      await stackDown(config);
      return 0;
    case 'status': {
      const servers = await stackStatus(config);
      console.log(formatStatusTable(servers));
      const unhealthy = servers.filter((server) => server.state !== 'running' && server.state !== 'external');
      if (unhealthy.length > 0)
        console.log(`\nNot healthy: ${unhealthy.map((s) => s.name).join(', ')}. Run: npm run stack:up`);
      return unhealthy.length > 0 ? 1 : 0;
    }
    case 'env':
      for (const [key, value] of Object.entries(stackEnv(config))) console.log(`${key}=${value}`);
      return 0;
    default:
      console.error(USAGE);
      return 2;
  }
}

main(process.argv[2]).then(
  (code) => process.exit(code),
  (error: Error) => {
    console.error(`\n${error.message}`);
    process.exit(1);
  },
);
