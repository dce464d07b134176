import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { kafkaBrokersFrom, loadStackConfig, paths } from '../config.js';
import { brokerAddresses, kafkaNodes, nodeProperties } from './kafka-nodes.js';

const stackDir = () => mkdtempSync(join(tmpdir(), 'genstream-kafka-nodes-'));
const settings = (text: string) =>
  Object.fromEntries(
    text
      .trim()
      .split('\n')
      .map((line) => line.split('=', 2) as [string, string]),
  );

describe('the local Kafka as one broker or a cluster of three', () => {
  it('runs one broker by default, on the stack ports and folders it always had', () => {
    const config = loadStackConfig({ GENSTREAM_STACK_DIR: stackDir() });
    const [node, ...others] = kafkaNodes(config);
    expect(others).toEqual([]);
    expect(node).toMatchObject({ id: 1, brokerPort: 39092, controllerPort: 39093 });
    expect(node!.dataDir).toBe(paths(config, 'kafka').data);
    expect(node!.dataDir).toMatch(/data\/kafka$/);
    const props = settings(nodeProperties(config, node!));
    expect(props['default.replication.factor']).toBe('1');
    expect(props['min.insync.replicas']).toBe('1');
    expect(props['controller.quorum.voters']).toBe('1@127.0.0.1:39093');
  });

  it('gives three nodes ports 10 apart, folders of their own and one quorum of all three', () => {
    const config = loadStackConfig({
      GENSTREAM_STACK_DIR: stackDir(),
      GENSTREAM_STACK_PORT_OFFSET: '100',
      GENSTREAM_KAFKA_BROKERS: '3',
    });
    const nodes = kafkaNodes(config);
    expect(nodes.map((node) => [node.id, node.brokerPort, node.controllerPort])).toEqual([
      [1, 39192, 39193],
      [2, 39202, 39203],
      [3, 39212, 39213],
    ]);
    expect(new Set(nodes.map((node) => node.dataDir)).size).toBe(3);
    expect(nodes[0]!.dataDir).toMatch(/data\/kafka-3-brokers\/node-1$/);
    expect(brokerAddresses(config)).toBe('127.0.0.1:39192,127.0.0.1:39202,127.0.0.1:39212');
    const props = settings(nodeProperties(config, nodes[1]!));
    expect(props).toMatchObject({
      'node.id': '2',
      'controller.quorum.voters': '1@127.0.0.1:39193,2@127.0.0.1:39203,3@127.0.0.1:39213',
      listeners: 'PLAINTEXT://127.0.0.1:39202,CONTROLLER://127.0.0.1:39203',
      'default.replication.factor': '3',
      'min.insync.replicas': '2',
      'offsets.topic.replication.factor': '3',
      'unclean.leader.election.enable': 'false',
    });
  });
});

describe('kafkaBrokersFrom', () => {
  const pidFile = () => paths({ dir: stackDir() }, 'kafka').pidFile;

  it('takes GENSTREAM_KAFKA_BROKERS when set, and only 1 or 3', () => {
    expect(kafkaBrokersFrom({ GENSTREAM_KAFKA_BROKERS: '3' }, pidFile())).toBe(3);
    expect(kafkaBrokersFrom({ GENSTREAM_KAFKA_BROKERS: ' 1 ' }, pidFile())).toBe(1);
    expect(() => kafkaBrokersFrom({ GENSTREAM_KAFKA_BROKERS: '2' }, pidFile())).toThrow(
      /must be 1 or 3, got "2"/,
    );
  });

  it('otherwise finds a cluster started before by its three recorded processes', () => {
    const file = pidFile();
    expect(kafkaBrokersFrom({}, file)).toBe(1);
    mkdirSync(dirname(file), { recursive: true });
    const record = (pid: number) => ({ pid, startTicks: 1, command: 'java' });
    writeFileSync(file, JSON.stringify([record(11), record(12), record(13)]));
    expect(kafkaBrokersFrom({}, file)).toBe(3);
    expect(kafkaBrokersFrom({ GENSTREAM_KAFKA_BROKERS: '1' }, file)).toBe(1);
  });
});
