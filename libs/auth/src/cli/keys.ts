// npm run keys -- create|list|revoke (in an image: node libs/auth/dist/cli/keys.js): the API keys
// the HTTP APIs accept, stored hashed in Redis. Reads REDIS_URL and REDIS_KEY_PREFIX like the
// services; with the local stack: eval "$(npm run -s stack:env)" && npm run keys -- list
import { loadConfig, secret, text, url } from '@genstream/config';
import { createServiceLogger } from '@genstream/service';
import { redisClient } from '@genstream/service/redis';
import { ApiKeyRepository } from '../repositories/api-key.repository.js';
import { KEYS_USAGE, keyLines, parseKeysCommand, type KeysCommand } from '../keys/keys-command.js';

async function main(): Promise<number> {
  let command: KeysCommand;
  try {
    command = parseKeysCommand(process.argv.slice(2));
  } catch (error) {
    console.error(`keys: ${(error as Error).message}\n${KEYS_USAGE}`);
    return 2;
  }
  const config = loadConfig({ REDIS_URL: secret(url(['redis:', 'rediss:'])), REDIS_KEY_PREFIX: text('') });
  const redis = redisClient(config.REDIS_URL, createServiceLogger('keys', 'warn'), {
    connectionName: 'genstream-keys',
    lazyConnect: true,
  });
  try {
    await redis.connect();
    return await run(command, new ApiKeyRepository(redis, config.REDIS_KEY_PREFIX));
  } finally {
    await redis.quit().catch(() => redis.disconnect());
  }
}

async function run(command: KeysCommand, keys: ApiKeyRepository): Promise<number> {
  switch (command.action) {
    case 'create': {
      const { record, token } = await keys.create(command.key);
      console.log(`created key ${record.id} for tenant ${record.tenant} (${record.scopes.join(', ')})`);
      console.log(`\n  ${token}\n`);
      console.log('Keep it now: only its hash is stored. Send it as "Authorization: Bearer <key>".');
      return 0;
    }
    case 'list':
      for (const line of keyLines(await keys.list())) console.log(line);
      return 0;
    case 'revoke': {
      if (await keys.revoke(command.id)) {
        console.log(`revoked key ${command.id}: its next request is refused (401 CREDENTIAL_REVOKED)`);
        return 0;
      }
      console.error(`keys: no key ${command.id} (npm run keys -- list shows them)`);
      return 1;
    }
  }
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    console.error(`keys: ${error.message}`);
    process.exit(1);
  },
);
