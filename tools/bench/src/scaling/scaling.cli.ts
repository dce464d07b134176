// npm run bench:scaling [-- --records M] [--window S] [--runs R] [--instances 1,3] [--writers a,b]
//                       [--requests N] [--layout-runs R] [--rounds K] [--layouts "writers=2;slowest=3"]
//                       [--skip writers|layouts] [--keep-stack]
// Each writer's records/s with 1 and with N instances on the same pre-filled topic, and end-to-end
// events/s of a few replica layouts (see bench-scaling.ts). Progress on stderr, the tables on
// stdout, the result in .bench/scaling.json and the picture in .bench/scaling.svg.
import { CORE_SERVER_NAMES } from '@genstream/stack';
import { benchFile } from '../runner/bench-files.js';
import { runBenchCommand } from '../runner/bench-command.js';
import {
  UsageError,
  integer,
  integerFlag,
  knownNames,
  listFlag,
  stringFlag,
  valueFlags,
  type Flags,
} from '../runner/flags.js';
import { benchScaling } from './bench-scaling.js';
import { withScalingChart } from './chart.js';
import { formatScalingReport } from './report.js';
import { WRITER_SERVICES } from './results.js';

const skipped = (flags: Flags) =>
  knownNames('part to skip', listFlag(flags, 'skip') ?? [], ['writers', 'layouts']);

runBenchCommand({
  name: 'scaling',
  usage:
    '[--records M] [--window S] [--runs R] [--instances 1,3] [--writers metadata-writer,...] [--requests N] ' +
    '[--layout-runs R] [--rounds K] [--layouts "writers=2;slowest=3;generation=2,slowest=2"] [--skip writers|layouts]',
  options: valueFlags(
    'records',
    'window',
    'runs',
    'instances',
    'writers',
    'requests',
    'layout-runs',
    'rounds',
    'layouts',
    'skip',
  ),
  // A traced layout needs the stack's Jaeger too (built once from the Go module proxy).
  servers: (flags) =>
    (stringFlag(flags, 'layouts') ?? '').split(/[;,]/).some((part) => part.trim() === 'tracing')
      ? [...CORE_SERVER_NAMES, 'jaeger']
      : 'all',
  run: async (flags, context) => {
    const skip = skipped(flags);
    if (skip.length === 2) throw new UsageError('--skip writers,layouts leaves nothing to run');
    const layouts = stringFlag(flags, 'layouts');
    const result = await benchScaling({
      serverEnv: context.serverEnv,
      env: context.env,
      ...(context.tracingEndpoint ? { tracingEndpoint: context.tracingEndpoint } : {}),
      records: integerFlag(flags, 'records'),
      windowSeconds: integerFlag(flags, 'window'),
      runs: integerFlag(flags, 'runs'),
      instances: listFlag(flags, 'instances')?.map((item) => integer('--instances', item)),
      writers: knownNames('writer', listFlag(flags, 'writers'), WRITER_SERVICES),
      requests: integerFlag(flags, 'requests'),
      layoutRuns: integerFlag(flags, 'layout-runs'),
      rounds: integerFlag(flags, 'rounds'),
      layouts: layouts
        ?.split(';')
        .map((spec) => spec.trim())
        .filter((spec) => spec !== ''),
      skipWriters: skip.includes('writers'),
      skipLayouts: skip.includes('layouts'),
      say: context.say,
      signal: context.signal,
    });
    const full = withScalingChart(result);
    return { report: formatScalingReport(full), json: full, files: [benchFile('scaling.json')] };
  },
});
