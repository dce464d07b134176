import type { Say } from '../runner/progress.js';
import type { PassFigures } from './query-passes.js';
import { exactTopK, overlap, recallOf, tieAwareOverlap } from './recall.js';
import type { RecallFigures, Scored, VectorsResult } from './results.js';
import type { Query, StoredVectors } from './vector-data.js';

/**
 * Recall@k of the first pass: VSIM against TRUTH (the graph's loss alone) and, with `exactCheck`,
 * both against an exact FP32 scan here (adding the quantization's loss).
 */
export function recallFigures(
  stored: StoredVectors,
  queries: readonly Query[],
  figures: PassFigures,
  k: number,
  exactCheck: boolean,
  say: Say,
): VectorsResult['recall'] {
  const { approxResults, truthResults } = figures;
  const kinds = queries.map((query) => query.kind);
  const ids = (results: readonly Scored[]) => results.map(([name]) => name);
  const vsimVsTruth = recallOf(kinds, (q) => overlap(ids(approxResults[q]!), ids(truthResults[q]!), k));
  const vsimVsTruthTieAware = recallOf(kinds, (q) => tieAwareOverlap(approxResults[q]!, truthResults[q]!, k));
  let vsimVsExactFp32: RecallFigures | null = null;
  let truthVsExactFp32: RecallFigures | null = null;
  if (exactCheck) {
    say(
      `exact FP32 scan in Node: ${queries.length} queries × ${stored.count.toLocaleString('en-US')} vectors`,
    );
    const scanStarted = performance.now();
    const exact = queries.map((query) =>
      exactTopK(stored.matrix, stored.count, query.vector, k).map((i) => stored.names[i]!),
    );
    say(`exact scan done in ${((performance.now() - scanStarted) / 1000).toFixed(1)} s`);
    vsimVsExactFp32 = recallOf(kinds, (q) => overlap(ids(approxResults[q]!), exact[q]!, k));
    truthVsExactFp32 = recallOf(kinds, (q) => overlap(ids(truthResults[q]!), exact[q]!, k));
  }
  return { vsimVsTruth, vsimVsTruthTieAware, vsimVsExactFp32, truthVsExactFp32 };
}
