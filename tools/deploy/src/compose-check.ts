// docker-compose.yml as `docker compose --profile services` runs it, checked against the code: the
// Go tool compose-check loads it with the official Compose loader (schema, interpolation, merge
// keys, extends, consistency) and prints the resolved project; this holds that project against
// the build (the bundles it makes, the image's entrypoint), each service's config.ts, its port and
// its shutdown bound, and the servers each container's variables name.
import { readFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { DEFAULT_SHUTDOWN_TIMEOUT_MS } from '@genstream/kafka';
import { configSchema as metadataWriter } from '@genstream/metadata-writer';
import { commonConfig } from '@genstream/service/config';
import { TRACING_VARIABLES } from '@genstream/tracing';
import { checkVariables, SCHEMAS, serviceHolder, type Holder } from './config-check.js';

const TRACING = new Set<string>(TRACING_VARIABLES);

/** The profile the init container and the genstream services are under. */
export const PROFILE = 'services';
export const INIT = 'init';
const DOCKERFILE = 'deploy/docker/Dockerfile';

/**
 * The bound within which a service always exits after SIGTERM: its shutdown bound, then the forced
 * exit bootstrapService arms 5 s later. stop_grace_period must exceed it, or Docker kills it first.
 */
export const SHUTDOWN_BOUND_MS = DEFAULT_SHUTDOWN_TIMEOUT_MS + 5_000;

/** What init runs: npm run topics (commonConfig's variables) and migrate (DATABASE_URL, LOG_LEVEL). */
const INIT_HOLDER: Holder = {
  schema: {
    ...commonConfig('generation'),
    DATABASE_URL: metadataWriter.DATABASE_URL,
    LOG_LEVEL: metadataWriter.LOG_LEVEL,
  },
  owner: 'the topics and migrate commands',
};
const INIT_BUNDLES = ['libs/service/dist/cli/topics.js', 'services/metadata-writer/dist/cli/migrate.js'];

/** A service of the resolved project, as compose-go marshals it (only what is checked). */
export interface ComposeService {
  readonly profiles?: string[];
  readonly image?: string;
  readonly build?: { readonly context: string; readonly dockerfile?: string; readonly target?: string };
  readonly entrypoint?: string[] | null;
  readonly command?: string[] | null;
  readonly environment?: Record<string, string | null>;
  readonly depends_on?: Record<string, { readonly condition: string; readonly required?: boolean }>;
  readonly ports?: { readonly target: number; readonly published?: string; readonly host_ip?: string }[];
  readonly stop_grace_period?: string;
  readonly restart?: string;
  readonly healthcheck?: { readonly disable?: boolean; readonly test?: string[] };
}

/** What compose-check prints. */
export interface ComposeReport {
  readonly file: string;
  readonly project: { readonly name: string; readonly services: Record<string, ComposeService> };
  readonly profiles: string[];
  /** The services a plain `docker compose up` runs. */
  readonly withoutProfiles: string[];
}

/** What the code says the compose file must agree with. */
export interface ComposeFacts {
  readonly root: string;
  /** The bundles the build makes (buildEntries' outputs), relative to the root. */
  readonly bundles: ReadonlySet<string>;
  /** The image's ENTRYPOINT (the Dockerfile's last one). */
  readonly entrypoint: readonly string[];
}

export interface ComposeCheck {
  readonly problems: string[];
  readonly pending: Set<string>;
  readonly servers: string[];
  readonly genstream: string[];
  readonly services: number;
}

/** The Dockerfile's last ENTRYPOINT, in exec form. */
export function imageEntrypoint(root: string): string[] {
  const text = readFileSync(resolve(root, DOCKERFILE), 'utf8');
  const last = [...text.matchAll(/^ENTRYPOINT (\[.*\])\s*$/gm)].at(-1)?.[1];
  if (last === undefined) throw new Error(`${DOCKERFILE} has no ENTRYPOINT in exec form`);
  return JSON.parse(last) as string[];
}

/** A Go duration as compose-go prints it (35s, 1m30s, 500ms), in ms; undefined if unreadable. */
export function durationMs(text: string): number | undefined {
  const unit: Record<string, number> = {
    h: 3_600_000,
    m: 60_000,
    s: 1_000,
    ms: 1,
    us: 1e-3,
    µs: 1e-3,
    ns: 1e-6,
  };
  const parts = [...text.matchAll(/(\d+(?:\.\d+)?)(h|ms|m|s|us|µs|ns)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== text) return undefined;
  return parts.reduce((sum, [, value, name]) => sum + Number(value) * unit[name!]!, 0);
}

/**
 * The hosts a container's variables name: KAFKA_BROKERS' host:port list and every URL's host. Not
 * the trace receiver's: a service never waits for it (spans are dropped while it is away, nothing else).
 */
function hostsNamed(environment: Record<string, string | null>): Set<string> {
  const hosts = new Set<string>();
  for (const [name, value] of Object.entries(environment)) {
    if (!value || TRACING.has(name)) continue;
    if (name === 'KAFKA_BROKERS') {
      for (const broker of value.split(',')) hosts.add(broker.trim().replace(/:\d+$/, ''));
      continue;
    }
    try {
      const url = new URL(value);
      if (url.hostname) hosts.add(url.hostname);
    } catch {
      // Not a URL: names no server.
    }
  }
  return hosts;
}

/** The node bundles a command line runs: `node [--flag...] x.js`, directly or inside `sh -c`. */
function bundlesRun(argv: readonly string[]): string[] {
  const line = argv.join(' ');
  return [...line.matchAll(/(?:^|[\s;&|])node(?:\s+-\S+)*\s+(\S+\.js)/g)].map((m) => m[1]!);
}

/** What one check of a service needs to know; problems are pushed to `problems`. */
interface Context {
  readonly facts: ComposeFacts;
  readonly services: Record<string, ComposeService>;
  readonly servers: readonly string[];
  readonly problems: string[];
  readonly pending: Set<string>;
}

/** Built from the repository with the Dockerfile, one image for all of ours. */
function checkBuild(
  at: string,
  service: ComposeService,
  image: string | undefined,
  { facts, problems }: Context,
) {
  const build = service.build;
  if (build === undefined) problems.push(`${at}: not built from ${DOCKERFILE}`);
  else {
    const built = resolve(build.context, build.dockerfile ?? 'Dockerfile');
    if (resolve(build.context) !== facts.root)
      problems.push(`${at}: build context ${build.context}, not the repository root`);
    if (built !== resolve(facts.root, DOCKERFILE))
      problems.push(`${at}: built from ${relative(facts.root, built)}, not ${DOCKERFILE}`);
    if (build.target !== undefined) problems.push(`${at}: builds the stage ${build.target}, not the image`);
  }
  if (service.image !== image) problems.push(`${at}: image ${service.image}, not ${image} as init's`);
}

/** The command line runs, under tini, exactly the bundles it should, and each is one the build makes. */
function checkCommand(name: string, service: ComposeService, { facts, problems }: Context) {
  const at = `service ${name}`;
  const argv = [...(service.entrypoint ?? facts.entrypoint), ...(service.command ?? [])];
  if (argv[0] !== facts.entrypoint[0] || argv[1] !== '--')
    problems.push(`${at}: runs ${JSON.stringify(argv.slice(0, 2))}, not under ${facts.entrypoint[0]} --`);
  const unknown = argv
    .flatMap((arg) => arg.match(/\S+\/dist\/\S+\.js/g) ?? [])
    .map((bundle) => bundle.replace(/^--import=/, '').replace(/^\/app\//, ''))
    .filter((bundle) => !facts.bundles.has(bundle));
  for (const bundle of unknown) problems.push(`${at}: ${bundle} is no bundle the build makes`);
  const run = bundlesRun(argv);
  const wanted = name === INIT ? INIT_BUNDLES : [`services/${name}/dist/main.js`];
  if (JSON.stringify(run) !== JSON.stringify(wanted))
    problems.push(`${at}: runs ${JSON.stringify(run)}, not ${JSON.stringify(wanted)} (${argv.join(' ')})`);
}

/** It waits for every server its variables name to be healthy (a service also for init), no other. */
function checkDependencies(name: string, service: ComposeService, { servers, problems }: Context) {
  const at = `service ${name}`;
  const dependsOn = service.depends_on ?? {};
  const named = [...hostsNamed(service.environment ?? {})];
  for (const host of named.filter((host) => !servers.includes(host)))
    problems.push(`${at}: its variables name ${host}, no server of the file`);
  const expected: Record<string, string> = Object.fromEntries(
    named.filter((host) => servers.includes(host)).map((server) => [server, 'service_healthy']),
  );
  if (name !== INIT) expected[INIT] = 'service_completed_successfully';
  for (const [target, condition] of Object.entries(expected)) {
    const dependency = dependsOn[target];
    if (dependency?.condition !== condition)
      problems.push(
        `${at}: must depend on ${target} with ${condition}, not ${dependency?.condition ?? 'nothing'}`,
      );
    else if (dependency.required === false)
      problems.push(`${at}: its dependency on ${target} is not required`);
  }
  for (const target of Object.keys(dependsOn))
    if (!(target in expected)) problems.push(`${at}: depends on ${target}, which none of its variables name`);
}

/** PORT given (the image's PORT is 8180 for all) as its config.ts default, published there on loopback. */
function checkPort(name: string, service: ComposeService, { problems }: Context) {
  const at = `service ${name}`;
  const given = service.environment?.PORT;
  const port = Number(given);
  const fallback = SCHEMAS[name]!.PORT?.fallback?.();
  if (given == null) {
    problems.push(`${at}: PORT is not set (the image's 8180 would be used)`);
    return;
  }
  if (port !== fallback) problems.push(`${at}: PORT ${port}, not ${String(fallback)} as under npm start`);
  const ports = service.ports ?? [];
  if (ports.length !== 1 || ports[0]!.target !== port || ports[0]!.published !== String(port))
    problems.push(
      `${at}: publishes ${JSON.stringify(ports.map((p) => `${p.published}:${p.target}`))}, not ["${port}:${port}"]`,
    );
  else if (ports[0]!.host_ip !== '127.0.0.1')
    problems.push(`${at}: published on ${ports[0]!.host_ip ?? 'every address'}, not 127.0.0.1`);
}

/** Docker's SIGKILL comes after stop_grace_period (10 s unless set): it must outlast the shutdown. */
function checkGracePeriod(name: string, service: ComposeService, { problems }: Context) {
  const grace = service.stop_grace_period === undefined ? 10_000 : durationMs(service.stop_grace_period);
  if (grace === undefined || grace <= SHUTDOWN_BOUND_MS)
    problems.push(
      `service ${name}: stop_grace_period ${service.stop_grace_period ?? '10s (the default)'} must exceed the services' shutdown bound of ${SHUTDOWN_BOUND_MS / 1000} s`,
    );
}

/** init runs once: never restarted once done, serving nothing. */
function checkOneShot(service: ComposeService, { problems }: Context) {
  if (service.restart !== undefined && service.restart !== 'no' && service.restart !== 'on-failure')
    problems.push(
      `service ${INIT}: restart ${service.restart}: a one-shot container must not be restarted once done`,
    );
  if ((service.ports ?? []).length > 0) problems.push(`service ${INIT}: publishes ports, but serves nothing`);
}

/** The servers have no profile, so a plain `docker compose up` runs them, and only them. */
function checkServers(report: ComposeReport, { services, servers, problems }: Context) {
  for (const server of servers) {
    const profiles = services[server]!.profiles ?? [];
    if (profiles.length > 0)
      problems.push(
        `server ${server}: under the profiles ${JSON.stringify(profiles)}, so plain docker compose up skips it`,
      );
  }
  if (JSON.stringify(report.withoutProfiles) !== JSON.stringify(servers))
    problems.push(
      `docker compose up without a profile runs ${report.withoutProfiles.join(', ')}, not the servers ${servers.join(', ')}`,
    );
}

/** service_healthy needs a health check (the file's, or for ours the image's) to ever be met. */
function checkHealthChecks(ours: readonly string[], { services, problems }: Context) {
  for (const [name, service] of Object.entries(services))
    for (const [target, { condition }] of Object.entries(service.depends_on ?? {})) {
      const check = services[target]?.healthcheck;
      const fromImage = check === undefined && ours.includes(target);
      if (
        condition === 'service_healthy' &&
        !fromImage &&
        (check === undefined || check.disable || !check.test)
      )
        problems.push(
          `service ${name}: waits for ${target} to be healthy, but ${target} has no health check`,
        );
    }
}

/** Holds the resolved project against the code; every problem found, none thrown. */
export function checkCompose(report: ComposeReport, facts: ComposeFacts): ComposeCheck {
  const services = report.project.services;
  const genstream = Object.keys(SCHEMAS);
  const ours = [INIT, ...genstream];
  const servers = Object.keys(services)
    .filter((name) => !ours.includes(name))
    .sort();
  const context: Context = { facts, services, servers, problems: [], pending: new Set() };
  const { problems, pending } = context;
  const image = services[INIT]?.image;
  for (const name of ours) {
    const service = services[name];
    const at = `service ${name}`;
    if (service === undefined) {
      problems.push(`${at}: missing (docker compose --profile ${PROFILE} must run it)`);
      continue;
    }
    if (JSON.stringify(service.profiles ?? []) !== JSON.stringify([PROFILE]))
      problems.push(`${at}: profiles ${JSON.stringify(service.profiles ?? [])}, not ["${PROFILE}"]`);
    checkBuild(at, service, image, context);
    checkCommand(name, service, context);
    // Its variables: declared and parsed by its config.ts (init's: by its two commands).
    const variables = Object.fromEntries(
      Object.entries(service.environment ?? {}).map(([key, value]) => [key, value === null ? {} : { value }]),
    );
    checkVariables(at, variables, name === INIT ? INIT_HOLDER : serviceHolder(name), problems, pending);
    checkDependencies(name, service, context);
    if (name === INIT) checkOneShot(service, context);
    else {
      checkPort(name, service, context);
      checkGracePeriod(name, service, context);
    }
  }
  checkServers(report, context);
  checkHealthChecks(ours, context);
  return { problems, pending, servers, genstream, services: Object.keys(services).length };
}
