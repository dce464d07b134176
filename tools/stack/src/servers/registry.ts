import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { runCommand } from '../commands.js';
import type { StackConfig } from '../config.js';
import { StackError } from '../errors.js';
import { withInstallLock } from '../install-lock.js';
import { ensureJava, ensureMaven } from '../java.js';
import { spawnDetached } from '../processes.js';
import type { Progress } from '../progress.js';
import type { ServerDefinition } from '../server.js';

/**
 * The schema registry: Apicurio Registry, whose Confluent-compatible API (`/apis/ccompat/v7`) is what
 * Confluent clients and our codec talk to. No release archive is reachable, so `install` builds it
 * once from Maven Central with the small Quarkus project in tools/stack/registry, entirely inside the
 * stack folder; `start` runs the resulting fast-jar on Java 17. Schemas live in an H2 file in the data
 * folder, so the ids written into Kafka records keep meaning the same schema across restarts.
 */
const PROJECT_DIR = resolve(import.meta.dirname, '../../registry');
const POM = resolve(PROJECT_DIR, 'pom.xml');
const BUILD_PROPERTIES = resolve(PROJECT_DIR, 'src/main/resources/application.properties');
/** Where a Confluent client finds the API, relative to the registry's root. */
const CCOMPAT_PATH = '/apis/ccompat/v7';

/** The one place the version lives is pom.xml; read it rather than repeating it. */
const APICURIO_VERSION = /<apicurio\.version>([^<]+)<\/apicurio\.version>/.exec(
  readFileSync(POM, 'utf8'),
)?.[1];
if (!APICURIO_VERSION) throw new Error(`no <apicurio.version> in ${POM}`);

/** A Confluent registry's default; Apicurio's is NONE (no compatibility check at all). */
export const DEFAULT_COMPATIBILITY = 'BACKWARD';

export const registry: ServerDefinition = {
  name: 'registry',
  product: 'Apicurio Registry',
  localVersion: APICURIO_VERSION,
  stopSignal: 'SIGTERM', // Quarkus shuts down gracefully and H2 closes its file
  startTimeoutMs: 90_000,

  localUrl: (config: StackConfig) => `http://${config.host}:${config.ports.registry}${CCOMPAT_PATH}`,

  async probe(url) {
    const subjects = await requestJson('GET', `${trimSlash(url)}/subjects`);
    if (!Array.isArray(subjects)) throw new Error(`GET ${url}/subjects did not answer with a list`);
    return apicurioVersion(url);
  },

  async install(context) {
    const { paths, progress } = context;
    await ensureJava('registry', 'Apicurio Registry', context);
    const app = appDir(paths.home);
    const marker = resolve(app, '.complete');
    const projectHash = createHash('sha256')
      .update(readFileSync(POM))
      .update('\0')
      .update(readFileSync(BUILD_PROPERTIES))
      .digest('hex');
    const built = () => existsSync(marker) && readFileSync(marker, 'utf8') === projectHash;
    if (built()) return;

    await ensureMaven('registry', 'to build the schema registry');
    await withInstallLock(paths.home, progress, async () => {
      if (built()) return; // built by the `up` we waited for
      const build = resolve(paths.home, 'build');
      // An interrupted or outdated build is redone whole.
      rmSync(build, { recursive: true, force: true });
      rmSync(app, { recursive: true, force: true });
      mkdirSync(build, { recursive: true });
      await buildRegistry(build, paths.installLog, paths.home, progress);
      // The fast-jar folder is self-contained: keep it, drop the rest of the build.
      renameSync(resolve(build, 'quarkus-app'), app);
      rmSync(build, { recursive: true, force: true });
      writeFileSync(marker, projectHash);
    });
  },

  async start({ config, paths }) {
    const jar = resolve(appDir(paths.home), 'quarkus-run.jar');
    if (!existsSync(jar)) throw new StackError('registry', `${jar} is missing: run install first`);
    mkdirSync(paths.data, { recursive: true });
    return spawnDetached(
      'java',
      [
        '-Xmx128m',
        '-XX:+UseSerialGC',
        '-XX:TieredStopAtLevel=1', // C1 only: quicker start, less memory; plenty for a development registry
        '-XX:+ExitOnOutOfMemoryError',
        '-Djava.awt.headless=true',
        `-Dquarkus.http.host=${config.host}`,
        `-Dquarkus.http.port=${config.ports.registry}`,
        '-jar',
        jar,
      ],
      {
        logFile: paths.log,
        pidFile: paths.pidFile,
        cwd: paths.home,
        // Apicurio's own setting for its storage (an in-memory H2 database unless told otherwise).
        env: { ...process.env, REGISTRY_DATASOURCE_URL: `jdbc:h2:file:${resolve(paths.data, 'registry')}` },
      },
    );
  },

  async configure(url) {
    await setGlobalCompatibility(url, DEFAULT_COMPATIBILITY);
  },
};

function appDir(home: string): string {
  return resolve(home, `app-${APICURIO_VERSION}`);
}

/** `mvn package` of tools/stack/registry with every output in `build`: the repository stays untouched. */
async function buildRegistry(build: string, logFile: string, cwd: string, progress: Progress): Promise<void> {
  await progress.during(
    `building Apicurio Registry ${APICURIO_VERSION} with Maven (first time only, about 210 MB to download)`,
    runCommand(
      'mvn',
      [
        '-B',
        '--no-transfer-progress',
        '-Dstyle.color=never',
        '-f',
        POM,
        `-Dregistry.build.directory=${build}`,
        '-DskipTests',
        'package',
      ],
      { logFile, cwd },
    ).catch((error: unknown) => {
      throw new StackError('registry', `building Apicurio Registry failed: ${(error as Error).message}`, {
        cause: error,
      });
    }),
  );
}

/**
 * Sets the registry-wide compatibility level through the Confluent API (idempotent), and checks it
 * took. `url` is the API's base URL, e.g. http://127.0.0.1:38081/apis/ccompat/v7.
 */
export async function setGlobalCompatibility(url: string, level: string): Promise<void> {
  const configUrl = `${trimSlash(url)}/config`;
  const current = async () =>
    ((await requestJson('GET', configUrl)) as { compatibilityLevel?: unknown }).compatibilityLevel;
  if ((await current()) === level) return;
  // Apicurio creates its global rule on the first PUT; two `up`s doing that at once get 409 "A rule
  // named 'COMPATIBILITY' already exists" for the second. What counts is the level that results.
  const failure = await requestJson('PUT', configUrl, { compatibility: level }).then(
    () => undefined,
    (error: Error) => error,
  );
  const now = await current();
  if (now !== level) {
    throw new StackError(
      'registry',
      `set the global compatibility to ${level}, but ${configUrl} says ${String(now)}` +
        (failure ? ` (${failure.message})` : ''),
    );
  }
}

/** Apicurio reports its version beside the Confluent API; other registries do not: undefined. */
async function apicurioVersion(url: string): Promise<string | undefined> {
  const root = trimSlash(url).replace(/\/apis\/ccompat\/v\d+$/, '');
  try {
    const info = (await requestJson('GET', `${root}/apis/registry/v2/system/info`)) as { version?: unknown };
    return typeof info.version === 'string' ? info.version : undefined;
  } catch {
    return undefined;
  }
}

/** One JSON request with a short deadline; rejects on a network error or a status other than 2xx. */
async function requestJson(method: 'GET' | 'PUT', url: string, body?: unknown): Promise<unknown> {
  const response = await fetch(url, {
    method,
    headers: {
      accept: 'application/vnd.schemaregistry.v1+json, application/json',
      ...(body === undefined ? {} : { 'content-type': 'application/vnd.schemaregistry.v1+json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(3_000),
  }).catch((error: Error) => {
    throw new Error(
      `${method} ${url}: ${error.cause instanceof Error ? error.cause.message : error.message}`,
    );
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${url} answered ${response.status}: ${text.slice(0, 200)}`);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new Error(`${method} ${url} answered ${response.status} with no JSON: ${text.slice(0, 200)}`);
  }
}

function trimSlash(url: string): string {
  return url.replace(/\/+$/, '');
}
