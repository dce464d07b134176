import { SERVICE_NAMES, type ServiceName } from '@genstream/launcher';
import type { CaseFigures } from './figures.js';
import {
  describeProblems,
  reconcile,
  wipeStores,
  type KafkaEvidence,
  type Reconciliation,
} from './reconcile.js';
import { RequestStream } from './request-stream.js';
import type { FaultRig } from './rig.js';

/** A fault struck while requests flow; `inject` returns once the fault is over. */
export interface StreamCase {
  readonly name: string;
  /** A short word for titles and prompts. */
  readonly tag: string;
  readonly total: number;
  readonly perSecond: number;
  /** The fault strikes once this many requests are published. */
  readonly faultAfter: number;
  /** Every n-th request is invalid and must end on generation.failed (default 50). */
  readonly invalidEvery?: number;
  /** The services whose catching up after the fault is the recovery (default: all five). */
  readonly affected?: readonly ServiceName[];
  readonly inject: (rig: FaultRig) => Promise<FaultReport | void>;
}

/** What a fault can tell about itself, beyond its duration. */
export interface FaultReport {
  readonly note?: string;
}

export interface StreamCaseResult {
  readonly figures: CaseFigures;
  readonly reconciliation: Reconciliation;
  /** What the case's records left on the output and dead-letter topics. */
  readonly evidence: KafkaEvidence;
  /** Problems in plain words; empty when every request reconciles. */
  readonly problems: readonly string[];
}

/**
 * Runs one case: clean stores, a steady stream of requests, the fault in the middle of it, then
 * waits until everything published is consumed everywhere and reconciles each request exactly.
 */
export async function runStreamCase(
  rig: FaultRig,
  spec: StreamCase,
  log = progressLog,
): Promise<StreamCaseResult> {
  await rig.failOnCrash(rig.waitAllCaughtUp());
  await wipeStores(rig.reader);
  const before = await rig.evidenceOffsets();
  const stream = await RequestStream.open({
    brokers: rig.brokers,
    total: spec.total,
    perSecond: spec.perSecond,
    invalidEvery: spec.invalidEvery ?? 50,
    tag: spec.tag,
  });
  try {
    const publishing = stream.start();
    await stream.reached(spec.faultAfter);
    const inFlight = stream.published - (await rig.storedCount());
    log(`${spec.name}: ${stream.published} published, ${inFlight} of them not yet in every store: fault`);
    const faultStarted = Date.now();
    const report = (await spec.inject(rig)) ?? {};
    const faultEnded = Date.now();
    const affected = spec.affected ?? SERVICE_NAMES;
    const upTo = await rig.consumedOffsets(affected);
    log(
      `${spec.name}: fault over after ${seconds(faultEnded - faultStarted)} s; waiting for ${affected.join(', ')} to catch up`,
    );
    await rig.failOnCrash(rig.waitCaughtUp(affected, 240_000, upTo)).catch((error: Error) => {
      throw new Error(`${error.message}\nservices' last lines:\n${rig.serviceOutput.last(80).join('\n')}`);
    });
    const recovered = Date.now();
    await rig.failOnCrash(publishing);
    log(
      `${spec.name}: all ${stream.published} published (${stream.retriedSends} sends retried); reconciling`,
    );
    await rig.failOnCrash(rig.waitAllCaughtUp());
    const after = await rig.evidenceOffsets();
    const evidence = await rig.evidenceBetween(before, after);
    const reconciliation = await reconcile(rig.reader, stream, evidence);
    const figures: CaseFigures = {
      name: spec.name,
      published: stream.published,
      inFlight,
      faultSeconds: (faultEnded - faultStarted) / 1000,
      recoverySeconds: (recovered - faultEnded) / 1000,
      lost: reconciliation.lost,
      duplicated: reconciliation.duplicated,
      redelivered: reconciliation.redelivered,
      deadLettered: reconciliation.deadLetters.length,
      failed: stream.invalid.length - reconciliation.unreportedFailures.length,
      ...(report.note ? { note: report.note } : {}),
    };
    const problems = describeProblems(reconciliation);
    return { figures, reconciliation, evidence, problems };
  } finally {
    await stream.close();
  }
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(1);
}

function progressLog(line: string): void {
  process.stderr.write(`[faults] ${line}\n`);
}
