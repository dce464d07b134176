import type { Say } from './progress.js';

/**
 * Ctrl-C or SIGTERM aborts the signal: the running bench stops measuring but still cleans up
 * (services, data, topics, the servers it started); a second Ctrl-C exits at once.
 */
export function abortOnInterrupt(say: Say): { readonly signal: AbortSignal; release(): void } {
  const abort = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => {
    say(`${signal}: stopping after cleaning up (Ctrl-C again exits at once)`);
    abort.abort(new Error(`interrupted by ${signal}`));
    process.once('SIGINT', () => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  return {
    signal: abort.signal,
    release: () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}
