import { errorText, type Logger } from './logger.js';

/** Resolves true when `work` finished within `ms`, false when it was given up on. */
export async function finishesWithin(work: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([work.then(() => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export interface SignalOptions {
  readonly signals?: readonly NodeJS.Signals[];
  readonly logger?: Logger;
  /** How the process ends once stopped; process.exit by default. */
  readonly exit?: (code: number) => void;
}

/**
 * For processes without Nest (workers, scripts, benchmarks): on the first SIGTERM or SIGINT runs
 * `stop` (which is bounded by its own timeout), then exits 0, or 1 when stopping failed. A second
 * signal exits at once. Nest applications use app.enableShutdownHooks() instead. Returns a
 * function that removes the handlers.
 */
export function stopOnSignals(stop: () => Promise<boolean | void>, options: SignalOptions = {}): () => void {
  const { signals = ['SIGTERM', 'SIGINT'], logger, exit = (code: number) => process.exit(code) } = options;
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) {
      logger?.warn('second signal: exiting without waiting', { signal });
      exit(1);
      return;
    }
    stopping = true;
    logger?.info('signal received: stopping', { signal });
    stop().then(
      (clean) => exit(clean === false ? 1 : 0),
      (error: unknown) => {
        logger?.error('stopping failed', { error: errorText(error) });
        exit(1);
      },
    );
  };
  for (const signal of signals) process.on(signal, onSignal);
  return () => {
    for (const signal of signals) process.off(signal, onSignal);
  };
}
