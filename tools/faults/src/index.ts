export {
  FaultStack,
  faultStackSettings,
  withKafkaCluster,
  type FaultServer,
  type FaultStackSettings,
} from './fault-stack.js';
export { FiguresFile, formatFigures, formatFiguresMarkdown, type CaseFigures } from './figures.js';
export {
  CHECKED_STORES,
  describeDeadLetter,
  describeProblems,
  reconcile,
  wipeStores,
  type CheckedStore,
  type Expected,
  type KafkaEvidence,
  type Reconciliation,
  type StoreTally,
} from './reconcile.js';
export { RequestStream, type StreamOptions } from './request-stream.js';
export { CONSUMED_TOPICS, FaultRig, groupOf, type CountedStore, type Offsets } from './rig.js';
export { runStreamCase, type FaultReport, type StreamCase, type StreamCaseResult } from './stream-case.js';
export { CONSUMED_BY, contractViolations, poisonRecords, type PoisonRecord } from './poison.js';
// Reading a topic back is the Kafka library's; re-exported here for the suite's callers.
export { readTopicRange, type TopicRecord } from '@genstream/kafka';
export {
  FUZZ_KINDS,
  FUZZ_LIMITS,
  generateFuzzCases,
  validGenerationBody,
  type FuzzCase,
  type FuzzKind,
  type FuzzService,
} from './http-fuzz-cases.js';
export {
  formatFuzzReport,
  runFuzzCases,
  type FuzzFailure,
  type FuzzReport,
  type FuzzRunOptions,
} from './http-fuzz-run.js';
