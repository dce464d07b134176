import { fmt, median, type ConsumeSettings } from './consume-setup.js';
import type { Run } from './consumers.js';

/** eachBatch against eachMessage: the median records/s of each, their range, and the ratio. */
export function formatConsumeReport(
  settings: ConsumeSettings,
  batch: readonly Run[],
  message: readonly Run[],
): string {
  const summary = (runs: readonly Run[]) => {
    const rates = runs.map((r) => r.recordsPerSecond).sort((a, b) => a - b);
    return { median: median(rates), min: rates[0]!, max: rates.at(-1)!, rates };
  };
  const b = summary(batch);
  const m = summary(message);
  const { records, partitions, runs, cost } = settings;
  const callsPerBatch = records / median(batch.map((r) => r.handlerCalls));
  const line = (label: string, s: ReturnType<typeof summary>) =>
    `${label}${fmt(s.median).padStart(16)}   ${`${fmt(s.min)} .. ${fmt(s.max)}`.padEnd(22)}   ${s.rates.map(fmt).join(', ')}`;
  return [
    '',
    `consume ${fmt(records)} records, ${partitions} partitions, ${runs} runs each; store write = loopback round trip ` +
      `+ ${cost.fixedUs} us + ${cost.perRowUs} us/row`,
    '',
    'mode          median records/s   min .. max               per-run',
    line('eachBatch     ', b),
    line('eachMessage   ', m),
    '',
    `eachBatch / eachMessage (medians): ${(b.median / m.median).toFixed(1)}x; about ${fmt(callsPerBatch)} records per handler call`,
  ].join('\n');
}
