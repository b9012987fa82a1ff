// Finds or builds the external programs the project runs on, so that `npm start` and
// `npm test` work on a fresh clone. Every step says what it does; a missing toolchain gives a
// message saying how to get it, never a stack trace.
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';

export const projectRoot = join(__dirname, '..', '..');
const toolsDir = join(projectRoot, '.tools');
const toolsBin = join(toolsDir, 'bin');

export const TEMPORAL_CLI_MODULE = 'github.com/temporalio/cli/cmd/temporal@v1.5.1';
export const TEMPORAL_TEST_SERVER_VERSION = '1.38.0';
export const SCHEMATHESIS_VERSION = '4.32.5';
export const VERAPDF_VERSION = '1.28.2';

export class ProvisionError extends Error {}

export async function step<T>(label: string, action: () => T | Promise<T>): Promise<T> {
  const started = Date.now();
  process.stdout.write(`→ ${label}…\n`);
  try {
    const result = await action();
    const detail = typeof result === 'string' ? `: ${result}` : '';
    process.stdout.write(`✓ ${label}${detail} (${((Date.now() - started) / 1000).toFixed(1)} s)\n`);
    return result;
  } catch (error) {
    process.stdout.write(`✗ ${label}\n`);
    throw error;
  }
}

function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const candidate = join(dir, name);
    if (dir && existsSync(candidate)) return candidate;
  }
  return undefined;
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv = {}): void {
  const result = spawnSync(command, args, { cwd: projectRoot, stdio: 'inherit', env: { ...process.env, ...env } });
  if (result.error) throw new ProvisionError(`${command} kunde inte startas: ${result.error.message}`);
  if (result.status !== 0) throw new ProvisionError(`${command} ${args.join(' ')} avslutades med kod ${result.status}`);
}

/** The Temporal CLI: TEMPORAL_CLI_PATH, then PATH, then our cached build, then `go install`. */
export function ensureTemporalCli(): string {
  const fromEnv = process.env.TEMPORAL_CLI_PATH;
  if (fromEnv) {
    if (!existsSync(fromEnv)) throw new ProvisionError(`TEMPORAL_CLI_PATH pekar på ${fromEnv}, som inte finns.`);
    return fromEnv;
  }
  const found = onPath('temporal') ?? (existsSync(join(toolsBin, 'temporal')) ? join(toolsBin, 'temporal') : undefined);
  if (found) return found;
  if (!onPath('go')) {
    throw new ProvisionError(
      'Temporal CLI saknas och Go finns inte för att bygga den. Installera Temporal CLI ' +
        '(https://docs.temporal.io/cli), lägg den på PATH eller ange TEMPORAL_CLI_PATH, ' +
        `eller installera Go så bygger vi den med: go install ${TEMPORAL_CLI_MODULE}`,
    );
  }
  process.stdout.write(`  bygger Temporal CLI från Go-modulen ${TEMPORAL_CLI_MODULE} (några minuter första gången)\n`);
  mkdirSync(toolsBin, { recursive: true });
  run('go', ['install', TEMPORAL_CLI_MODULE], { GOBIN: toolsBin });
  return join(toolsBin, 'temporal');
}

/**
 * Schemathesis (from PyPI, in a virtual environment of its own under .tools), which the contract
 * test runs against the API's /openapi.json.
 */
export function ensureSchemathesis(): string {
  const fromEnv = process.env.SCHEMATHESIS_PATH;
  if (fromEnv) return fromEnv;
  const home = join(toolsDir, `schemathesis-${SCHEMATHESIS_VERSION}`);
  const st = join(home, 'bin', 'st');
  if (existsSync(st)) return st;
  if (!onPath('python3'))
    throw new ProvisionError('Python 3 saknas; kontraktstestet installerar Schemathesis från PyPI med python3 -m venv.');
  process.stdout.write(`  installerar Schemathesis ${SCHEMATHESIS_VERSION} från PyPI i ${home}\n`);
  run('python3', ['-m', 'venv', home]);
  run(join(home, 'bin', 'pip'), ['install', '--quiet', '--disable-pip-version-check', `schemathesis==${SCHEMATHESIS_VERSION}`]);
  return st;
}

function requireJavaAndMaven(artifact: string, what: string): void {
  for (const tool of ['java', 'mvn']) {
    if (!onPath(tool)) {
      throw new ProvisionError(
        `${tool} saknas: ${what} är ett Maven-paket (${artifact}) och behöver Java 17+ och Maven. ` +
          'På Debian: apt-get install default-jdk-headless maven',
      );
    }
  }
}

/**
 * Temporal's time-skipping test server, a Maven artifact, behind a small launcher script that
 * @temporalio/testing can start as an `existing-path` executable.
 */
export function ensureTimeSkippingTestServer(): string {
  const fromEnv = process.env.TEMPORAL_TEST_SERVER_PATH;
  if (fromEnv) return fromEnv;
  const home = join(toolsDir, `temporal-test-server-${TEMPORAL_TEST_SERVER_VERSION}`);
  const launcher = join(home, 'temporal-test-server');
  if (existsSync(launcher)) return launcher;
  requireJavaAndMaven(`io.temporal:temporal-test-server:${TEMPORAL_TEST_SERVER_VERSION}`, 'Temporals tidshoppande testserver');
  mkdirSync(home, { recursive: true });
  const pom = join(home, 'pom.xml');
  writeFileSync(
    pom,
    `<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>local.medborgarlofte</groupId><artifactId>temporal-test-server-launcher</artifactId><version>1</version>
  <dependencies>
    <dependency>
      <groupId>io.temporal</groupId><artifactId>temporal-test-server</artifactId>
      <version>${TEMPORAL_TEST_SERVER_VERSION}</version>
    </dependency>
  </dependencies>
</project>
`,
  );
  process.stdout.write(`  hämtar io.temporal:temporal-test-server:${TEMPORAL_TEST_SERVER_VERSION} med Maven\n`);
  run('mvn', ['-B', '-q', '-Dstyle.color=never', '-f', pom, 'dependency:copy-dependencies', `-DoutputDirectory=${join(home, 'lib')}`]);
  writeFileSync(launcher, `#!/bin/sh\nexec java -cp "${join(home, 'lib')}/*" io.temporal.testserver.TestServer "$@"\n`);
  chmodSync(launcher, 0o755);
  return launcher;
}

/**
 * veraPDF, the PDF Association's validator, which checks the PDFs against PDF/UA-1. Its Maven
 * artifact is one jar with everything it needs; a launcher script runs its command-line entry.
 */
export function ensureVeraPdf(): string {
  const fromEnv = process.env.VERAPDF_PATH;
  if (fromEnv) return fromEnv;
  const home = join(toolsDir, `verapdf-${VERAPDF_VERSION}`);
  const launcher = join(home, 'verapdf');
  if (existsSync(launcher)) return launcher;
  requireJavaAndMaven(`org.verapdf.apps:greenfield-apps:${VERAPDF_VERSION}`, 'PDF-testernas validerare veraPDF');
  mkdirSync(home, { recursive: true });
  process.stdout.write(`  hämtar org.verapdf.apps:greenfield-apps:${VERAPDF_VERSION} med Maven\n`);
  run('mvn', [
    '-B',
    '-q',
    '-Dstyle.color=never',
    'dependency:copy',
    `-Dartifact=org.verapdf.apps:greenfield-apps:${VERAPDF_VERSION}`,
    `-DoutputDirectory=${home}`,
  ]);
  const jar = join(home, `greenfield-apps-${VERAPDF_VERSION}.jar`);
  writeFileSync(launcher, `#!/bin/sh\nexec java -cp "${jar}" org.verapdf.apps.GreenfieldCliWrapper "$@"\n`);
  chmodSync(launcher, 0o755);
  return launcher;
}

/**
 * Runs Prisma's CLI offline, quietly (Prisma 7 says on stderr which files it loaded); a failure
 * raises `failure` with what the CLI said. The CLI downloads its schema engine before any command
 * unless PRISMA_SCHEMA_ENGINE_BINARY points at an existing file. The commands run here never use
 * that engine (the client compiles queries in WebAssembly, schema diffs use the WebAssembly schema
 * engine: scripts/schema-diff.ts), so any file will do.
 */
export function runPrismaCli(args: string[], failure: string): void {
  const schema = join(projectRoot, 'prisma', 'schema.prisma');
  try {
    execFileSync(join(projectRoot, 'node_modules', '.bin', 'prisma'), args, {
      cwd: projectRoot,
      env: {
        ...process.env,
        PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? schema,
        PRISMA_HIDE_UPDATE_MESSAGE: '1',
        CHECKPOINT_DISABLE: '1',
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
  } catch (error) {
    throw new ProvisionError(`${failure}:\n${String((error as { stderr?: Buffer }).stderr ?? error)}`);
  }
}

/** Runs `prisma generate` when the schema or Prisma's version changed since the client was last generated. */
export function ensurePrismaClient(): string {
  const schema = readFileSync(join(projectRoot, 'prisma', 'schema.prisma'));
  const prismaVersion = readFileSync(join(projectRoot, 'node_modules', 'prisma', 'package.json'));
  const digest = createHash('sha256').update(schema).update(prismaVersion).digest('hex');
  const marker = join(projectRoot, 'prisma', 'generated', '.schema-sha256');
  if (existsSync(marker) && readFileSync(marker, 'utf8') === digest) return 'aktuell';
  runPrismaCli(['generate', '--no-hints'], 'prisma generate misslyckades');
  writeFileSync(marker, digest);
  return 'genererad';
}

/** Directory holding PostgreSQL's server programs (initdb, pg_ctl, postgres), for the tests. */
/** Chromium for the browser tests: CHROMIUM_PATH, or Debian's package (`apt-get install chromium`) on PATH. */
export function findChromium(): string {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv) {
    if (!existsSync(fromEnv)) throw new ProvisionError(`CHROMIUM_PATH pekar på ${fromEnv}, som inte finns.`);
    return fromEnv;
  }
  const found = onPath('chromium') ?? onPath('chromium-browser');
  if (!found) {
    throw new ProvisionError(
      'Chromium saknas för webbläsartesterna. Installera den (Debian: apt-get install chromium) eller ange CHROMIUM_PATH.',
    );
  }
  return found;
}

export function findPostgresBinaries(): string {
  const fromEnv = process.env.POSTGRES_BIN_DIR;
  const candidates = fromEnv ? [fromEnv] : [];
  const debianRoot = '/usr/lib/postgresql';
  if (existsSync(debianRoot)) {
    const versions = readdirSync(debianRoot).sort((a, b) => Number(b) - Number(a));
    candidates.push(...versions.map((version) => join(debianRoot, version, 'bin')));
  }
  const initdb = onPath('initdb');
  if (initdb) candidates.push(join(initdb, '..'));
  const found = candidates.find((dir) => existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'pg_ctl')));
  if (!found) {
    throw new ProvisionError(
      'PostgreSQL saknas: testerna kör mot en riktig PostgreSQL. På Debian: apt-get install postgresql ' +
        '(eller ange POSTGRES_BIN_DIR till katalogen med initdb och pg_ctl).',
    );
  }
  return found;
}
