import { afterAll, beforeAll, expect, inject } from 'vitest';
import {
  FaultRig,
  FaultStack,
  FiguresFile,
  describeDeadLetter,
  withKafkaCluster,
  type StreamCaseResult,
} from '../../src/index.js';

/** What a fault test file works with: the rig (open once per file) and the suite's figures. */
export interface FaultSuite {
  readonly rig: FaultRig;
  readonly figures: FiguresFile;
}

/**
 * Opens a rig on the suite's stack before the file's tests and closes it after them. With
 * `kafkaCluster`, its Kafka is a three-broker cluster started for the file and stopped after it.
 */
export function useFaultRig(options: { kafkaCluster?: boolean } = {}): FaultSuite {
  const suite = { figures: new FiguresFile(inject('figuresPath')) } as {
    rig: FaultRig;
    figures: FiguresFile;
  };
  const settings = options.kafkaCluster ? withKafkaCluster(inject('faultStack')) : inject('faultStack');
  beforeAll(async () => {
    if (options.kafkaCluster) await new FaultStack(settings).up(['kafka']);
    suite.rig = await FaultRig.open(settings);
  });
  afterAll(async () => {
    await suite.rig?.close();
    if (options.kafkaCluster) await new FaultStack(settings).down(['kafka']);
  });
  return suite;
}

/** Records the case's figures, then requires it reconciled: nothing lost, duplicated or dead-lettered. */
export function expectReconciled(suite: FaultSuite, result: StreamCaseResult): void {
  suite.figures.append(result.figures);
  expect(result.problems, suite.rig.serviceOutput.last(40).join('\n')).toEqual([]);
  expect(result.reconciliation.deadLetters.map(describeDeadLetter)).toEqual([]);
}
