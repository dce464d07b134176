import { execFileSync } from 'node:child_process';
import { DEFAULT_COMPATIBILITY, setGlobalCompatibility, type ServerName } from '@genstream/stack';
import type { StartedTestContainer } from 'testcontainers';

/** The same upstream images as docker-compose.yml. */
export const IMAGES = {
  kafka: 'apache/kafka:4.1.1',
  postgres: 'postgres:17',
  mongo: 'mongo:8',
  redis: 'redis:8',
  registry: 'apicurio/apicurio-registry-mem:2.4.2.Final',
  /** Jaeger v2.12.0 is the release of the Go module v1.75.0 the local stack builds. */
  jaeger: 'jaegertracing/jaeger:2.12.0',
} as const satisfies Record<ServerName, string>;

/** Starts one container per missing server; for machines with a Docker engine. */
export async function startContainers(
  names: readonly ServerName[],
): Promise<{ urls: Partial<Record<ServerName, string>>; stop(): Promise<void> }> {
  assertDockerEngine();
  const { GenericContainer, Wait } = await import('testcontainers');
  const started: StartedTestContainer[] = [];
  const urls: Partial<Record<ServerName, string>> = {};
  const stop = async () => {
    await Promise.all(started.map((container) => container.stop()));
  };
  try {
    for (const name of names) {
      switch (name) {
        case 'kafka': {
          // Kafka tells clients where to connect, so the host port must be known before it starts.
          const port = await freePort();
          const container = await new GenericContainer(IMAGES.kafka)
            .withExposedPorts({ container: 9092, host: port })
            .withEnvironment(kafkaEnvironment(port))
            .withWaitStrategy(Wait.forLogMessage(/Kafka Server started/))
            .start();
          started.push(container);
          urls.kafka = `127.0.0.1:${port}`;
          break;
        }
        case 'postgres': {
          const container = await new GenericContainer(IMAGES.postgres)
            .withExposedPorts(5432)
            .withEnvironment({
              POSTGRES_USER: 'genstream',
              POSTGRES_HOST_AUTH_METHOD: 'trust',
              POSTGRES_DB: 'genstream',
            })
            .withWaitStrategy(Wait.forLogMessage(/database system is ready to accept connections/, 2))
            .start();
          started.push(container);
          urls.postgres = `postgres://genstream@${container.getHost()}:${container.getMappedPort(5432)}/genstream`;
          break;
        }
        case 'mongo': {
          const container = await new GenericContainer(IMAGES.mongo).withExposedPorts(27017).start();
          started.push(container);
          urls.mongo = `mongodb://${container.getHost()}:${container.getMappedPort(27017)}/`;
          break;
        }
        case 'redis': {
          const container = await new GenericContainer(IMAGES.redis).withExposedPorts(6379).start();
          started.push(container);
          urls.redis = `redis://${container.getHost()}:${container.getMappedPort(6379)}`;
          break;
        }
        case 'registry': {
          const container = await new GenericContainer(IMAGES.registry)
            .withExposedPorts(8080)
            .withWaitStrategy(Wait.forHttp('/health/ready', 8080).forStatusCode(200))
            .start();
          started.push(container);
          const url = `http://${container.getHost()}:${container.getMappedPort(8080)}/apis/ccompat/v7`;
          // Set up like the local stack's registry: BACKWARD, as a Confluent registry is by default.
          await setGlobalCompatibility(url, DEFAULT_COMPATIBILITY);
          urls.registry = url;
          break;
        }
        case 'jaeger': {
          const container = await new GenericContainer(IMAGES.jaeger).withExposedPorts(4318, 16686).start();
          started.push(container);
          urls.jaeger = `http://${container.getHost()}:${container.getMappedPort(4318)}`;
          break;
        }
      }
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return { urls, stop };
}

/** Single-node KRaft broker advertising the host port that clients reach it on. */
export function kafkaEnvironment(hostPort: number): Record<string, string> {
  return {
    KAFKA_NODE_ID: '1',
    KAFKA_PROCESS_ROLES: 'broker,controller',
    KAFKA_LISTENERS: 'PLAINTEXT://:9092,CONTROLLER://:9093',
    KAFKA_ADVERTISED_LISTENERS: `PLAINTEXT://127.0.0.1:${hostPort}`,
    KAFKA_CONTROLLER_LISTENER_NAMES: 'CONTROLLER',
    KAFKA_LISTENER_SECURITY_PROTOCOL_MAP: 'CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
    KAFKA_CONTROLLER_QUORUM_VOTERS: '1@localhost:9093',
    KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR: '1',
    KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR: '1',
    KAFKA_TRANSACTION_STATE_LOG_MIN_ISR: '1',
    KAFKA_SHARE_COORDINATOR_STATE_TOPIC_REPLICATION_FACTOR: '1',
    KAFKA_SHARE_COORDINATOR_STATE_TOPIC_MIN_ISR: '1',
    KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS: '0',
    KAFKA_AUTO_CREATE_TOPICS_ENABLE: 'false',
  };
}

function assertDockerEngine(): void {
  try {
    execFileSync('docker', ['info'], { stdio: 'ignore', timeout: 10_000 });
  } catch {
    throw new Error(
      'GENSTREAM_TEST_SERVERS=testcontainers needs a running Docker engine, and `docker info` found none. ' +
        'Unset GENSTREAM_TEST_SERVERS to use the local stack instead.',
    );
  }
}

async function freePort(): Promise<number> {
  const { createServer } = await import('node:net');
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}
