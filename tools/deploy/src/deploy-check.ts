// npm run deploy:check: the Helm chart, checked the way CI checks it. Builds helm and the strict
// checker once (cached in .stack/tools), then for the default values and every value set in
// deploy/helm/genstream/ci: helm lint, helm template, every rendered object through the checker
// (Kubernetes API types, strict), every container's environment against the services' config.ts.
// Then docker-compose.yml, loaded by the official Compose loader and held against the code (see
// compose-check.ts). Then what must fail does: value sets the chart refuses, an object with an
// unknown field, broken Compose files, a compose service whose variables its config.ts refuses.
// Last, deploy/'s Grafana dashboard and Prometheus alert rules, with promtool (monitoring-check.ts).
import { readdirSync, readFileSync } from 'node:fs';
import { basename, relative, resolve } from 'node:path';
import { buildEntries } from '@genstream/build';
import { progressFor, repoRoot, type Progress } from '@genstream/stack';
import {
  CHECKER_DIR,
  COMPOSE_CHECKER,
  COMPOSE_GO_VERSION,
  ensureChecker,
  ensureGoTool,
  ensureHelm,
  HELM_VERSION,
  testChecker,
  toolsDir,
} from './binaries.js';
import {
  checkCompose,
  imageEntrypoint,
  INIT,
  PROFILE,
  type ComposeCheck,
  type ComposeFacts,
  type ComposeReport,
} from './compose-check.js';
import { checkConfiguration, type Environment } from './config-check.js';
import { checkMonitoring } from './monitoring-check.js';
import { lastLines, run } from './run.js';

const ROOT = repoRoot();
const CHART = resolve(ROOT, 'deploy/helm/genstream');
const TESTDATA = resolve(import.meta.dirname, '../testdata');
const COMPOSE_FILE = resolve(ROOT, 'docker-compose.yml');

interface CheckerReport {
  readonly objects: number;
  readonly kinds: Record<string, number>;
  readonly problems: string[];
  readonly environments: Environment[];
}

interface SetResult {
  readonly name: string;
  readonly objects: number;
  readonly kinds: Record<string, number>;
  readonly containers: number;
}

/** Value sets: ci/default.yaml first, then the others by name. */
function valueSets(): string[] {
  const files = readdirSync(resolve(CHART, 'ci')).filter((file) => file.endsWith('.yaml'));
  return files.sort((a, b) => (a === 'default.yaml' ? -1 : b === 'default.yaml' ? 1 : a.localeCompare(b)));
}

/** A value set's first lines may say `# external-secrets: a, b`: Secrets it expects to exist already. */
function externalSecrets(file: string): string {
  const match = /^# external-secrets:(.*)$/m.exec(readFileSync(file, 'utf8'));
  return (match?.[1] ?? '').trim().replace(/\s+/g, '');
}

function helmEnv(): NodeJS.ProcessEnv {
  const home = resolve(toolsDir(), 'helm-home');
  return {
    ...process.env,
    HELM_CACHE_HOME: resolve(home, 'cache'),
    HELM_CONFIG_HOME: resolve(home, 'config'),
    HELM_DATA_HOME: resolve(home, 'data'),
  };
}

function template(helm: string, values: string) {
  return run(helm, ['template', 'genstream', CHART, '--namespace', 'genstream', '-f', values], {
    env: helmEnv(),
  });
}

async function checkSet(helm: string, checker: string, file: string, progress: Progress): Promise<SetResult> {
  const name = basename(file, '.yaml');
  const lint = await run(helm, ['lint', '--strict', CHART, '-f', file], { env: helmEnv() });
  if (lint.code !== 0)
    throw new Error(`helm lint of ${name} failed:\n${lastLines(lint.stdout + lint.stderr, 30)}`);
  const rendered = await template(helm, file);
  if (rendered.code !== 0)
    throw new Error(`helm template of ${name} failed:\n${lastLines(rendered.stderr, 20)}`);
  const external = externalSecrets(file);
  const checked = await run(checker, ['-json', ...(external ? ['-external-secrets', external] : [])], {
    input: rendered.stdout,
  });
  const report = JSON.parse(checked.stdout || '{}') as Partial<CheckerReport>;
  if (checked.code !== 0 || report.objects === undefined) {
    const problems = report.problems?.join('\n  ') ?? lastLines(checked.stderr, 20);
    throw new Error(`the objects of ${name} do not pass the strict check:\n  ${problems}`);
  }
  const config = checkConfiguration(report.environments ?? []);
  if (config.problems.length > 0) {
    throw new Error(
      `the environment of ${name} does not match config.ts:\n  ${config.problems.join('\n  ')}`,
    );
  }
  const pending = [...config.pending].sort().join(', ');
  progress(
    `${name}: lint ok, ${report.objects} objects pass the strict check, ${config.containers} containers' variables match config.ts` +
      (pending ? ` (set but not declared by config.ts yet: ${pending})` : ''),
  );
  return { name, objects: report.objects, kinds: report.kinds ?? {}, containers: config.containers };
}

function composeFacts(): ComposeFacts {
  return {
    root: ROOT,
    bundles: new Set(buildEntries(ROOT).map((entry) => entry.output)),
    entrypoint: imageEntrypoint(ROOT),
  };
}

/** compose-check's project for a file, or the loader's refusal. */
async function loadCompose(
  composeChecker: string,
  file: string,
): Promise<{ report?: ComposeReport; refusal: string }> {
  const result = await run(composeChecker, ['-file', file]);
  if (result.code === 0) return { report: JSON.parse(result.stdout) as ComposeReport, refusal: '' };
  return { refusal: result.stderr.trim() || `exit ${result.code}` };
}

/** docker-compose.yml, resolved by the official loader and held against the code. */
async function checkComposeFile(
  composeChecker: string,
  facts: ComposeFacts,
  progress: Progress,
): Promise<ComposeCheck> {
  const { report, refusal } = await loadCompose(composeChecker, COMPOSE_FILE);
  if (report === undefined)
    throw new Error(`the Compose loader refuses docker-compose.yml:\n  ${refusal.split('\n').join('\n  ')}`);
  const checked = checkCompose(report, facts);
  if (checked.problems.length > 0)
    throw new Error(`docker-compose.yml does not match the code:\n  ${checked.problems.join('\n  ')}`);
  progress(
    `docker-compose.yml: loaded by compose-go ${COMPOSE_GO_VERSION}, ${checked.services} services agree with the build, config.ts, ports and shutdown bound`,
  );
  return checked;
}

/** Broken Compose files the loader must refuse, and a service whose variables config.ts refuses. */
async function checkComposeRefusals(composeChecker: string, facts: ComposeFacts): Promise<string[]> {
  const refused: string[] = [];
  const cases = [
    { file: 'compose-unknown-key.yml', reason: 'false schema', what: 'a Compose file with an unknown key' },
    {
      file: 'compose-missing-dependency.yml',
      reason: 'depends on undefined service',
      what: 'a Compose file with a depends_on on a missing service',
    },
  ];
  for (const { file, reason, what } of cases) {
    const { report, refusal } = await loadCompose(composeChecker, resolve(TESTDATA, file));
    if (report !== undefined || !refusal.includes(reason))
      throw new Error(
        `compose-check should refuse testdata/${file} saying "${reason}"; it ${report ? 'loaded it' : `said: ${refusal}`}`,
      );
    const said = refusal
      .split('\n')[0]!
      .replace(/^problem: /, '')
      .replaceAll(`${ROOT}/`, '');
    refused.push(`${what} (compose-check exits 1: ${said})`);
  }
  // The real file, resolved, then given a variable generation's config.ts does not declare.
  const { report } = await loadCompose(composeChecker, COMPOSE_FILE);
  const generation = report!.project.services.generation!;
  const broken: ComposeReport = {
    ...report!,
    project: {
      ...report!.project,
      services: {
        ...report!.project.services,
        generation: {
          ...generation,
          environment: { ...generation.environment, MONGO_URL: 'mongodb://mongo:27017/' },
        },
      },
    },
  };
  const problem = checkCompose(broken, facts).problems.find((line) => line.includes('MONGO_URL'));
  if (problem === undefined)
    throw new Error("the compose check let through a variable generation's config.ts does not declare");
  refused.push(`a compose service given a variable its config.ts does not declare (${problem})`);
  return refused;
}

/** What must fail does, with the reason it should give. */
async function checkRefusals(helm: string, checker: string): Promise<string[]> {
  const refused: string[] = [];
  const refusals = [
    {
      file: 'too-many-replicas.yaml',
      reason: 'is above kafka.partitions',
      what: 'maxReplicas above the partitions',
    },
    {
      file: 'short-grace-period.yaml',
      reason: 'must exceed the services',
      what: 'a grace period within the shutdown bound',
    },
  ];
  for (const { file, reason, what } of refusals) {
    const result = await template(helm, resolve(TESTDATA, file));
    if (result.code === 0 || !result.stderr.includes(reason)) {
      throw new Error(
        `helm template with testdata/${file} should fail saying "${reason}"; it ${result.code === 0 ? 'rendered' : `said: ${lastLines(result.stderr, 5)}`}`,
      );
    }
    refused.push(`${what} (helm template fails: "...${reason}...")`);
  }
  const broken = await run(checker, [resolve(CHECKER_DIR, 'testdata/unknown-field.yaml')]);
  if (broken.code !== 1 || !broken.stderr.includes('unknown field')) {
    throw new Error(`the checker let an unknown field through (exit ${broken.code}): ${broken.stderr}`);
  }
  refused.push(
    `an object with an unknown field (checker exits 1: ${broken.stderr
      .trim()
      .split('\n')[0]
      ?.replace(/^problem: /, '')})`,
  );
  return refused;
}

async function main(): Promise<void> {
  const started = Date.now();
  const progress = progressFor('deploy');
  const helm = await ensureHelm(progress);
  const checker = await ensureChecker(progress);
  const composeChecker = await ensureGoTool(COMPOSE_CHECKER, progress);
  const tests = await testChecker(progress);
  const results: SetResult[] = [];
  for (const file of valueSets())
    results.push(await checkSet(helm, checker, resolve(CHART, 'ci', file), progress));
  const facts = composeFacts();
  const compose = await checkComposeFile(composeChecker, facts, progress);
  const refused = [
    ...(await checkRefusals(helm, checker)),
    ...(await checkComposeRefusals(composeChecker, facts)),
  ];
  progress(`refused as they must be: ${refused.length} cases`);
  const monitoring = await checkMonitoring(progress);
  const pending = [...compose.pending].sort().join(', ');

  const chart = /^version:\s*(\S+)/m.exec(readFileSync(resolve(CHART, 'Chart.yaml'), 'utf8'))?.[1];
  const lines = [
    `deploy:check passed in ${((Date.now() - started) / 1000).toFixed(1)} s: chart ${relative(ROOT, CHART)} ${chart}, helm ${HELM_VERSION}.`,
    `Each value set: helm lint --strict, helm template, every object decoded strictly into its Kubernetes API type`,
    `(no unknown or duplicate field, every required field present, names, labels, selectors and references valid),`,
    `every container's variables declared and parsed by its service's config.ts:`,
    ...results.map(
      (r) =>
        `  ${r.name.padEnd(22)} ${String(r.objects).padStart(3)} objects: ` +
        Object.entries(r.kinds)
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([kind, count]) => `${count} ${kind}`)
          .join(', '),
    ),
    `docker-compose.yml: ${compose.services} services (${compose.servers.length} servers; ${INIT} and ${compose.genstream.length} genstream services under the profile "${PROFILE}"),`,
    `  loaded by compose-go ${COMPOSE_GO_VERSION} as docker compose --profile ${PROFILE} config does; each of ours built from`,
    `  deploy/docker/Dockerfile and running a bundle the build makes, every genstream container's variables declared by its`,
    `  config.ts (init's by the topics and migrate commands), healthy servers and ${INIT} awaited, ports, grace periods` +
      (pending ? ` (set but not declared by config.ts yet: ${pending})` : ''),
    `Refused, as they must be:`,
    ...refused.map((line) => `  ${line}`),
    `Checker unit tests: ${tests.split('\n').at(-1)}`,
    ...monitoring,
  ];
  console.log(`\n${lines.join('\n')}`);
}

main().catch((error: unknown) => {
  console.error(`\ndeploy:check failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
