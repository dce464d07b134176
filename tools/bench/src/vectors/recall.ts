// How close VSIM's answers are to the exact ones, and the latency figures of the query passes.
import { latencyPercentiles, spreadOf } from '../stats.js';
import {
  DIMENSION,
  type LatencyFigures,
  type QueryKind,
  type RecallFigures,
  type Scored,
} from './results.js';

export function overlap(found: readonly string[], reference: readonly string[], k: number): number {
  const wanted = new Set(reference.slice(0, k));
  return found.slice(0, k).filter((name) => wanted.has(name)).length / Math.min(k, reference.length || k);
}

/** A found element outside the reference top k that scores as high as its k-th counts as found: a tie. */
export function tieAwareOverlap(found: readonly Scored[], reference: readonly Scored[], k: number): number {
  if (reference.length === 0) return 0;
  const wanted = new Set(reference.slice(0, k).map(([name]) => name));
  const kth = reference[Math.min(k, reference.length) - 1]![1];
  const hits = found.slice(0, k).filter(([name, score]) => wanted.has(name) || score >= kth - 1e-9).length;
  return Math.min(hits, k) / Math.min(k, reference.length);
}

export function recallOf(kinds: readonly QueryKind[], recallAt: (q: number) => number): RecallFigures {
  const values = kinds.map((_, q) => recallAt(q));
  const mean = (kind?: QueryKind) => {
    const chosen = values.filter((_, q) => kind === undefined || kinds[q] === kind);
    return chosen.length === 0 ? 0 : chosen.reduce((sum, value) => sum + value, 0) / chosen.length;
  };
  return { all: mean(), perturbed: mean('perturbed'), fresh: mean('fresh') };
}

export function latencyFigures(passes: readonly number[][]): LatencyFigures {
  const percentiles = passes.map((latencies) => latencyPercentiles(latencies));
  return {
    p50Ms: spreadOf(percentiles.map((p) => p.p50)),
    p99Ms: spreadOf(percentiles.map((p) => p.p99)),
    queriesPerSecond: spreadOf(passes.map((latencies) => latencies.length / (sum(latencies) / 1000))),
  };
}

/** Indices of the k rows of `matrix` (unit vectors) with the highest dot product with `query`, best first. */
export function exactTopK(matrix: Float32Array, rows: number, query: Float32Array, k: number): number[] {
  const best: { index: number; score: number }[] = [];
  let floor = -Infinity;
  for (let r = 0; r < rows; r++) {
    const base = r * DIMENSION;
    // Four running sums: independent additions the CPU can overlap (DIMENSION is a multiple of 4).
    let a = 0;
    let b = 0;
    let c = 0;
    let d = 0;
    for (let i = 0; i < DIMENSION; i += 4) {
      a += matrix[base + i]! * query[i]!;
      b += matrix[base + i + 1]! * query[i + 1]!;
      c += matrix[base + i + 2]! * query[i + 2]!;
      d += matrix[base + i + 3]! * query[i + 3]!;
    }
    const dot = a + b + c + d;
    if (best.length < k || dot > floor) {
      let at = best.length;
      while (at > 0 && best[at - 1]!.score < dot) at--;
      best.splice(at, 0, { index: r, score: dot });
      if (best.length > k) best.pop();
      floor = best[best.length - 1]!.score;
    }
  }
  return best.map((entry) => entry.index);
}

function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}
