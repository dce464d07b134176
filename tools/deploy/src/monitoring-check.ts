// The dashboard and the alert rules of deploy/, checked by npm run deploy:check with promtool
// (built once, like helm): the rules pass `promtool check rules` and their unit tests
// (`promtool test rules`); every PromQL expression of the dashboard parses (promtool checks them
// as recording rules of a temporary file, template variables substituted); every expression, the
// rules' and the dashboard's, uses only metrics genstream exports (metric-catalogue.ts) and only
// labels those metrics have. A broken dashboard must fail the same check.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { repoRoot, type Progress } from '@genstream/stack';
import {
  exportedMetrics,
  seriesCatalogue,
  unlistedMetricNames,
  type ExportedMetric,
} from './metric-catalogue.js';
import { ensurePromtool, PROMTOOL_VERSION } from './promtool.js';
import { promqlNames } from './promql-names.js';
import { lastLines, run, runOk } from './run.js';

const ROOT = repoRoot();
export const DASHBOARD = resolve(ROOT, 'deploy/grafana/genstream.json');
export const ALERTS = resolve(ROOT, 'deploy/prometheus/genstream-alerts.yaml');
export const ALERT_TESTS = resolve(ROOT, 'deploy/prometheus/genstream-alerts.test.yaml');

/** Labels every scraped series has besides its own. */
const TARGET_LABELS = ['job', 'instance'];

/** Grafana's own variables, replaced by a value of the right kind before promtool reads the expression. */
const BUILTINS: Record<string, string> = {
  __rate_interval: '5m',
  __interval: '1m',
  __range: '1h',
  __interval_ms: '60000',
  __range_s: '3600',
  __range_ms: '3600000',
};

export interface Expression {
  /** Where it is, for messages: `panel 12 "Consumer lag per group" A`. */
  readonly where: string;
  readonly expr: string;
}

interface Panel {
  id?: number;
  title?: string;
  type?: string;
  datasource?: { type?: string; uid?: string };
  targets?: { refId?: string; expr?: string; datasource?: { type?: string; uid?: string } }[];
  panels?: Panel[];
}

interface Dashboard {
  schemaVersion?: number;
  panels?: Panel[];
  templating?: { list?: { name: string; type: string; query?: unknown; definition?: string }[] };
}

/** Replaces Grafana's variables in an expression; unknown ones are problems. */
export function substitute(
  expr: string,
  variables: ReadonlySet<string>,
  problems: string[],
  where: string,
): string {
  return expr.replace(
    /\$\{([A-Za-z0-9_]+)(?::[^}]*)?\}|\$([A-Za-z0-9_]+)|\[\[([A-Za-z0-9_]+)(?::[^\]]*)?\]\]/g,
    (all, a, b, c) => {
      const name = (a ?? b ?? c) as string;
      if (name in BUILTINS) return BUILTINS[name]!;
      if (variables.has(name)) return 'genstream';
      problems.push(`${where}: unknown variable ${all}`);
      return 'genstream';
    },
  );
}

/** The dashboard's expressions (targets and query variables), with the structure checks' problems. */
export function dashboardExpressions(dashboard: Dashboard): {
  expressions: Expression[];
  problems: string[];
  panels: number;
} {
  const problems: string[] = [];
  const expressions: Expression[] = [];
  const variables = dashboard.templating?.list ?? [];
  const names = new Set(variables.map((v) => v.name));
  if ((dashboard.schemaVersion ?? 0) < 39)
    problems.push(`schemaVersion ${dashboard.schemaVersion} is older than 39`);
  const datasource = variables.find((v) => v.name === 'datasource');
  if (datasource?.type !== 'datasource' || datasource.query !== 'prometheus')
    problems.push('no `datasource` variable of type datasource for prometheus');
  if (!names.has('service') && !names.has('instance')) problems.push('no `service` or `instance` variable');
  for (const variable of variables) {
    if (variable.type !== 'query') continue;
    const query =
      typeof variable.query === 'string'
        ? variable.query
        : ((variable.query as { query?: string })?.query ?? variable.definition ?? '');
    const where = `variable ${variable.name}`;
    const values = /^\s*label_values\((.*),\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*\)\s*$/.exec(query);
    if (!values) {
      problems.push(
        `${where}: only label_values(selector, label) queries are checked, not ${JSON.stringify(query)}`,
      );
      continue;
    }
    // The label asked for must be one the selector's series have: checked as a grouping label.
    expressions.push({
      where,
      expr: substitute(`count by (${values[2]}) (${values[1]})`, names, problems, where),
    });
  }
  let panels = 0;
  const visit = (panel: Panel) => {
    for (const inner of panel.panels ?? []) visit(inner);
    if (panel.type === 'row') return;
    panels += 1;
    const where = `panel ${panel.id} ${JSON.stringify(panel.title)}`;
    if (panel.datasource?.uid !== '${datasource}')
      problems.push(`${where}: its datasource is not \${datasource}`);
    if (!panel.targets?.length) problems.push(`${where}: no query`);
    for (const target of panel.targets ?? []) {
      if (target.datasource && target.datasource.uid !== '${datasource}')
        problems.push(`${where} ${target.refId}: its datasource is not \${datasource}`);
      if (!target.expr?.trim()) {
        problems.push(`${where} ${target.refId}: no PromQL expression`);
        continue;
      }
      expressions.push({
        where: `${where} ${target.refId}`,
        expr: substitute(target.expr, names, problems, where),
      });
    }
  };
  for (const panel of dashboard.panels ?? []) visit(panel);
  return { expressions, problems, panels };
}

/** The `expr:` values of a rules file (block scalars and plain ones), for the metric check. */
export function ruleExpressions(yaml: string): Expression[] {
  const lines = yaml.split('\n');
  const found: Expression[] = [];
  let name = '?';
  for (let i = 0; i < lines.length; i++) {
    const rule = /^\s*-?\s*(?:alert|record):\s*(\S+)/.exec(lines[i]!);
    if (rule) name = rule[1]!;
    const expr = /^(\s*)expr:\s*(.*)$/.exec(lines[i]!);
    if (!expr) continue;
    const [, indent, rest] = expr;
    if (!/^[|>][-+]?\s*$/.test(rest!)) {
      found.push({ where: `rule ${name}`, expr: rest!.replace(/^'(.*)'$|^"(.*)"$/, '$1$2') });
      continue;
    }
    const body: string[] = [];
    while (
      i + 1 < lines.length &&
      (lines[i + 1]!.trim() === '' || lines[i + 1]!.search(/\S/) > indent!.length)
    )
      body.push(lines[++i]!);
    found.push({ where: `rule ${name}`, expr: body.join('\n') });
  }
  return found;
}

/** Every metric an expression uses must be exported, with the labels it matches and groups by. */
export function metricProblems(
  expressions: readonly Expression[],
  catalogue: Map<string, ExportedMetric>,
): string[] {
  const problems: string[] = [];
  for (const { where, expr } of expressions) {
    const names = promqlNames(expr);
    problems.push(...names.problems.map((p) => `${where}: ${p}`));
    if (names.metrics.length === 0) problems.push(`${where}: uses no metric`);
    const known = new Set<string>(TARGET_LABELS);
    for (const metric of names.metrics) {
      const exported = catalogue.get(metric);
      if (!exported) {
        problems.push(`${where}: ${metric} is not a metric genstream exports`);
        continue;
      }
      for (const label of exported.labels) known.add(label);
      if (metric.endsWith('_bucket') && exported.type === 'histogram') known.add('le');
    }
    for (const { metric, labels } of names.selectors) {
      const exported = catalogue.get(metric);
      if (!exported) continue;
      const own = new Set([
        ...exported.labels,
        ...TARGET_LABELS,
        ...(metric.endsWith('_bucket') ? ['le'] : []),
      ]);
      for (const label of labels)
        if (!own.has(label)) problems.push(`${where}: ${metric} has no label ${label}`);
    }
    for (const label of names.grouping)
      if (!known.has(label)) problems.push(`${where}: groups by ${label}, a label none of its metrics has`);
  }
  return problems;
}

/** Each expression as a recording rule of one group, so that `promtool check rules` parses it. */
function asRecordingRules(expressions: readonly Expression[]): string {
  const rules = expressions.map((e, i) => ({ record: `genstream_dashboard:expression_${i}`, expr: e.expr }));
  return `${JSON.stringify({ groups: [{ name: 'dashboard-expressions', rules }] }, null, 2)}\n`;
}

/** promtool check rules of the expressions; its messages name rule numbers, turned back into places. */
async function parseProblems(promtool: string, expressions: readonly Expression[]): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'genstream-dashboard-'));
  try {
    const file = join(dir, 'dashboard-expressions.rules.json');
    writeFileSync(file, asRecordingRules(expressions));
    const result = await run(promtool, ['check', 'rules', file]);
    if (result.code === 0) return [];
    const output = `${result.stdout}\n${result.stderr}`;
    const problems = [...output.matchAll(/genstream_dashboard:expression_(\d+)"?:?\s*(.*)/g)].map(
      ([, index, message]) =>
        `${expressions[Number(index)]?.where ?? `expression ${index}`}: ${message?.trim()}`,
    );
    return problems.length > 0 ? problems : [lastLines(output, 10)];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function checkDashboard(
  promtool: string,
  dashboard: Dashboard,
  catalogue: Map<string, ExportedMetric>,
) {
  const { expressions, problems, panels } = dashboardExpressions(dashboard);
  problems.push(...metricProblems(expressions, catalogue), ...(await parseProblems(promtool, expressions)));
  return { expressions, problems, panels };
}

/** A dashboard with a syntax error, an unknown metric, an unknown label and an unknown variable. */
const BROKEN_DASHBOARD: Dashboard = {
  schemaVersion: 41,
  templating: {
    list: [
      { name: 'datasource', type: 'datasource', query: 'prometheus' },
      { name: 'service', type: 'custom' },
    ],
  },
  panels: [
    {
      id: 1,
      title: 'broken',
      type: 'timeseries',
      datasource: { type: 'prometheus', uid: '${datasource}' },
      targets: [
        { refId: 'A', expr: 'sum(rate(genstream_kafka_consumer_records_handled_total{job=~"$service"}[5m])' },
        { refId: 'B', expr: 'rate(genstream_kafka_consumer_records_handed_total[$__rate_interval])' },
        { refId: 'C', expr: 'sum by (partition) (genstream_kafka_consumer_stalls_total)' },
        { refId: 'D', expr: 'up{job=~"$nowhere"}' },
      ],
    },
  ],
};

export async function checkMonitoring(progress: Progress): Promise<string[]> {
  const promtool = await ensurePromtool(progress);
  const metrics = exportedMetrics();
  const unlisted = unlistedMetricNames(metrics);
  if (unlisted.length > 0)
    throw new Error(
      `metric names in the sources that metric-catalogue.ts does not register:\n  ${unlisted.join('\n  ')}`,
    );
  const catalogue = seriesCatalogue(metrics);

  const checked = await runOk(promtool, ['check', 'rules', ALERTS]);
  const rules = Number(/SUCCESS: (\d+) rules found/.exec(checked)?.[1] ?? NaN);
  const alertExpressions = ruleExpressions(readFileSync(ALERTS, 'utf8'));
  if (alertExpressions.length !== rules)
    throw new Error(
      `promtool found ${rules} rules in ${relative(ROOT, ALERTS)}, the metric check ${alertExpressions.length} expressions`,
    );
  const alertProblems = metricProblems(alertExpressions, catalogue);
  if (alertProblems.length > 0)
    throw new Error(`the alert rules use what genstream does not export:\n  ${alertProblems.join('\n  ')}`);
  progress(
    `alert rules: promtool check rules ok, ${rules} rules, every metric and label exported (${relative(ROOT, ALERTS)})`,
  );

  const tested = await run(promtool, ['test', 'rules', basename(ALERT_TESTS)], { cwd: dirname(ALERT_TESTS) });
  if (tested.code !== 0)
    throw new Error(`promtool test rules failed:\n${lastLines(tested.stdout + tested.stderr, 40)}`);
  const tests = readFileSync(ALERT_TESTS, 'utf8');
  const cases = (tests.match(/^\s*- interval:/gm) ?? []).length;
  const evaluations = (tests.match(/^\s*- eval_time:/gm) ?? []).length;
  progress(
    `alert rules: promtool test rules ok, ${cases} cases, ${evaluations} evaluations (${relative(ROOT, ALERT_TESTS)})`,
  );

  const dashboard = JSON.parse(readFileSync(DASHBOARD, 'utf8')) as Dashboard;
  const result = await checkDashboard(promtool, dashboard, catalogue);
  if (result.problems.length > 0)
    throw new Error(`the dashboard ${relative(ROOT, DASHBOARD)}:\n  ${result.problems.join('\n  ')}`);
  const used = new Set(result.expressions.flatMap((e) => promqlNames(e.expr).metrics));
  progress(
    `dashboard: ${result.panels} panels, ${result.expressions.length} expressions parse (promtool), ${used.size} metrics, all exported with their labels (${relative(ROOT, DASHBOARD)})`,
  );

  const broken = await checkDashboard(promtool, BROKEN_DASHBOARD, catalogue);
  const expected = [
    'parse',
    'is not a metric genstream exports',
    'groups by partition',
    'unknown variable $nowhere',
  ];
  const text = broken.problems.join('\n');
  const missed = expected.filter((what) => !text.includes(what === 'parse' ? 'broken" A' : what));
  if (missed.length > 0)
    throw new Error(`a broken dashboard passed the check (missed: ${missed.join(', ')}):\n${text}`);
  progress(
    `dashboard check refuses a broken dashboard: ${broken.problems.length} problems found (syntax, metric, label, variable)`,
  );

  return [
    `Monitoring (promtool ${PROMTOOL_VERSION}): ${rules} alert rules checked and unit-tested (${cases} cases), ` +
      `the dashboard's ${result.expressions.length} expressions parse and use only the ${metrics.length} metrics genstream exports.`,
  ];
}
