// On a three-broker cluster (replication factor 3, min.insync.replicas 2, acks=all): kill -9 the
// leader of the busiest partition while requests flow. The cluster elects a new leader from the
// replicas in sync, producers and consumers find it, and since every acknowledged write was on two
// nodes, nothing is lost; the killed node comes back and catches up.
import { setTimeout as sleep } from 'node:timers/promises';
import { TOPICS } from '@genstream/events';
import { kafkaNodeProcesses } from '@genstream/stack';
import { describe, expect, it } from 'vitest';
import { runStreamCase } from '../src/index.js';
import { busiest, partitionLeadership, waitForLeadership } from '../src/partition-leaders.js';
import { expectReconciled, useFaultRig } from './support/fault-suite.js';

/** The topics every request passes through. */
const PIPELINE_TOPICS = [TOPICS.GenerationRequested, TOPICS.ContentGenerated];
const DOWN_FOR_MS = 15_000;

describe('a broker of a three-node Kafka cluster killed under load', () => {
  const suite = useFaultRig({ kafkaCluster: true });

  it("kill -9 of the busiest partition's leader: another is elected, nothing lost or duplicated", async () => {
    const seen: { killed?: number; electedMs?: number; newLeader?: number; inSyncMs?: number } = {};
    const result = await runStreamCase(suite.rig, {
      name: 'cluster: leader node kill -9',
      tag: 'leader',
      total: 3000,
      perSecond: 100,
      faultAfter: 600,
      inject: async (rig) => {
        const admin = rig.probe.kafka.admin();
        await admin.connect();
        try {
          const target = busiest(await partitionLeadership(admin, PIPELINE_TOPICS));
          const victim = kafkaNodeProcesses(rig.stack.kafkaConfig).find(
            ({ node }) => node.id === target.leader,
          );
          if (!victim?.process) throw new Error(`node ${target.leader} leads, but no process of it runs`);
          process.kill(victim.process.pid, 'SIGKILL');
          seen.killed = target.leader;
          const ledElsewhere = (
            partitions: readonly { topic: string; partition: number; leader: number }[],
          ) =>
            partitions.some(
              (p) =>
                p.topic === target.topic &&
                p.partition === target.partition &&
                p.leader >= 0 &&
                p.leader !== target.leader,
            );
          seen.electedMs = await waitForLeadership(admin, PIPELINE_TOPICS, ledElsewhere, 'a new leader');
          seen.newLeader = (await partitionLeadership(admin, PIPELINE_TOPICS)).find(
            (p) => p.topic === target.topic && p.partition === target.partition,
          )?.leader;
          await sleep(DOWN_FOR_MS);
          await rig.stack.up(['kafka']); // starts the killed node only
          seen.inSyncMs = await waitForLeadership(
            admin,
            PIPELINE_TOPICS,
            (partitions) => partitions.every((p) => p.inSync.length === 3),
            'the restarted node back in sync',
          );
          return {
            note:
              `${target.topic}[${target.partition}] (${target.records} records): leader node ${target.leader} ` +
              `killed, node ${seen.newLeader} leads after ${(seen.electedMs / 1000).toFixed(1)} s; ` +
              `node ${target.leader} restarted, every partition in sync again ${(seen.inSyncMs / 1000).toFixed(1)} s after it answered`,
          };
        } finally {
          await admin.disconnect();
        }
      },
    });
    expectReconciled(suite, result);
    expect(seen.newLeader).not.toBe(seen.killed);
    expect(seen.newLeader).toBeGreaterThanOrEqual(1);
    expect(seen.inSyncMs).toBeDefined();
  });
});
