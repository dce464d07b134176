// Several instances of one service, as `npm start -- --replicas metadata-writer=2` runs them: two
// processes on their own ports in the service's one consumer group, sharing its partitions, and
// between them every record written once.
import { aContentGenerated, aGenerationRequested } from '@genstream/events/testing';
import { eventually, testTopics } from '@genstream/service-testing';
import { serverEnv, testKafka, testPostgres } from '@genstream/testing';
import { AssignerProtocol } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { checkHealth, freePorts, startServices } from '../src/index.js';

const RECORDS = 300;
const PARTITIONS = 4;

describe('replicas of a service (real Kafka, real PostgreSQL, two processes)', () => {
  it('run in one group, each holding some of the partitions, and together write every record once', async () => {
    await using postgres = await testPostgres('replicas');
    await using topics = await testTopics('replicas');
    await using kafka = await testKafka('replicas_admin');
    const ports = await freePorts(2);
    await using system = await startServices({
      env: {
        ...process.env,
        ...serverEnv(),
        ...topics.env,
        DATABASE_URL: postgres.url,
        KAFKA_PARTITIONS: String(PARTITIONS),
        LOG_LEVEL: 'warn',
      },
      only: ['metadata-writer'],
      replicas: { 'metadata-writer': 2 },
      ports: { 'metadata-writer': ports },
      timeoutMs: 120_000,
    });
    const instances = system.instances('metadata-writer');
    expect(instances.map((instance) => [instance.label, instance.spec.port])).toEqual([
      ['metadata-writer#1', ports[0]],
      ['metadata-writer#2', ports[1]],
    ]);
    for (const instance of instances) expect((await checkHealth(instance.spec.url)).status).toBe(200);

    const events = Array.from({ length: RECORDS }, (_, i) =>
      aContentGenerated({}, aGenerationRequested({ userId: 1 + (i % 10) })),
    );
    await topics.publish('ContentGenerated', events);
    const group = `${topics.prefix}genstream.metadata-writer`;
    await eventually(
      async () => (await topics.committed(group, 'ContentGenerated')) === RECORDS,
      `${RECORDS} offsets committed by the group`,
      120_000,
    );

    const { rows } = await postgres.pool.query<{ content_id: string }>(
      'SELECT content_id FROM ai_generated_content',
    );
    expect(rows.map((row) => row.content_id).sort()).toEqual(events.map((event) => event.contentId).sort());

    // Both processes are members of the group, and the partitions are split between them.
    const [described] = (await kafka.admin.describeGroups([group])).groups;
    const held = (described?.members ?? []).map((member) => {
      const decoded = AssignerProtocol.MemberAssignment.decode(member.memberAssignment);
      return Object.values(decoded?.assignment ?? {}).flat().length;
    });
    expect(held).toHaveLength(2);
    expect(held.every((count) => count > 0)).toBe(true);
    expect(held.reduce((a, b) => a + b, 0)).toBe(PARTITIONS);
  });
});
