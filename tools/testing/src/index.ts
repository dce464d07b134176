export { eventually } from './eventually.js';
export { uniqueName } from './names.js';
export { deleteKeysWithPrefix, scanKeys } from './redis-keys.js';
export { provisionServers, type ProvisionedServers, type ServerEnv } from './provision.js';
export {
  serverEnv,
  testKafka,
  testMongo,
  testPostgres,
  testRedis,
  testRegistry,
  type TestKafka,
  type TestMongo,
  type TestPostgres,
  type TestRedis,
  type TestRegistry,
} from './resources.js';
