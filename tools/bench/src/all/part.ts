// What every part of `npm run bench` offers the run: its figures as summary rows, and notes.
import type { Say } from '../runner/progress.js';
import { formatSpread, type Spread } from '../stats.js';

export const PART_NAMES = ['throughput', 'writers', 'cache', 'vectors', 'scaling'] as const;
export type PartName = (typeof PART_NAMES)[number];

/** One line of the summary: a figure of genstream (or the candidate) against its baseline. */
export interface SummaryRow {
  readonly part: PartName;
  readonly figure: string;
  readonly measured: string;
  readonly baseline: string;
  /** measured / baseline (for latencies below 1 is better), or '' when there is no baseline. */
  readonly ratio: string;
}

export interface PartContext {
  readonly env: NodeJS.ProcessEnv;
  /** KAFKA_BROKERS, DATABASE_URL, MONGO_URL, REDIS_URL of the running stack. */
  readonly serverEnv: Readonly<Record<string, string>>;
  /** Servers the runner started, for the record. */
  readonly startedServers: readonly string[];
  readonly say: Say;
  readonly signal: AbortSignal;
}

export interface Part<Result> {
  readonly name: PartName;
  readonly what: string;
  run(context: PartContext): Promise<Result>;
  rows(result: Result): SummaryRow[];
  /** One line per comparison: what was compared with what. */
  notes(result: Result): string[];
}

export type PartOutcome =
  | { readonly part: PartName; readonly ok: true; readonly durationMs: number; readonly result: unknown }
  | { readonly part: PartName; readonly ok: false; readonly durationMs: number; readonly error: string };

/** A part with its result type erased: runs it and turns its result into summary rows and notes. */
export interface Runnable {
  readonly what: string;
  execute(context: PartContext): Promise<{ result: unknown; rows: SummaryRow[]; notes: string[] }>;
}

export function runnable<Result>(part: Part<Result>): Runnable {
  return {
    what: part.what,
    execute: async (context) => {
      const result = await part.run(context);
      return { result, rows: part.rows(result), notes: part.notes(result) };
    },
  };
}

export function formatNumber(value: number, digits = 0): string {
  return value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

export const ms = (value: number, digits = 0) => `${formatNumber(value, digits)} ms`;
export const spreadMs = (spread: Spread, digits = 0) => `${formatSpread(spread, digits)} ms`;
export const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;
