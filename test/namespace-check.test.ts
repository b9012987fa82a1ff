import { newLinkSecret } from '../domain/crypto';
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { buildServer } from '../api/server';
import { createSmtpMailer } from '../platform/mailer';
import { newPayloadKey } from '../platform/payload-codec';
import { missingSearchAttributes } from '../platform/search-attribute-check';
import { createCoordinator } from '../store/coordinators';
import { createTestDatabase, type TestDatabase } from './support/database';
import { UNLIMITED } from './support/http';

// An operator who deploys this version before registering the search attributes: the worker and
// the API refuse to start, in one line naming what is missing and the commands that register it,
// and /health with a key says so. Against a real dev server started without the attributes.

const root = join(__dirname, '..');
let env: TestWorkflowEnvironment;
let database: TestDatabase;

beforeAll(async () => {
  env = await TestWorkflowEnvironment.createLocal({
    server: { executable: { type: 'existing-path', path: process.env.TEMPORAL_CLI_PATH! } },
  });
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.drop();
  await env?.teardown();
});

/** The address the dev server listens on, as the client connected to it. */
const serverAddress = () => env.connection.options.address;

const productionEnv = () => ({
  PATH: process.env.PATH,
  DATABASE_URL: database.url,
  TEMPORAL_ADDRESS: serverAddress(),
  SMTP_URL: 'smtp://127.0.0.1:1',
  PUBLIC_BASE_URL: 'https://loften.kommun.se',
  MAIL_FROM: 'Medborgarlöften <noreply@lessebo.se>',
  LINK_SECRET: 'en-hemlighet-for-testet-som-ar-lang-nog',
  PAYLOAD_ENCRYPTION_KEYS: newPayloadKey('test'),
  WORKER_METRICS_PORT: '0',
  TEMPORAL_METRICS_PORT: '0',
  API_METRICS_PORT: '0',
});

/** Runs a production process to its end (it should refuse at once) and gives its exit and its lines. */
function run(script: string, env: NodeJS.ProcessEnv = productionEnv()) {
  return new Promise<{ code: number | null; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(root, script)], { cwd: root, env });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    });
  });
}

test.each(['worker/main.ts', 'api/main.ts'])(
  '%s refuses a namespace without the search attributes in one line, naming them and the commands',
  async (script) => {
    const { code, stderr } = await run(script);
    expect(code).toBe(1);
    const lines = stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^✗ Namnrymden default på \S+ saknar sökattributen PromiseStatus \(Keyword\), PromiseMunicipality \(Keyword\)/,
    );
    expect(lines[0]).toContain('PromiseNeedsAttention (Bool)');
    expect(lines[0]).toContain(`temporal operator search-attribute create --address ${serverAddress()} --namespace default`);
  },
);

test.each(['worker/main.ts', 'api/main.ts'])('%s refuses to start without the payload keys, in one line', async (script) => {
  const { PAYLOAD_ENCRYPTION_KEYS: _left, ...env } = productionEnv();
  const { code, stderr } = await run(script, env);
  expect(code).toBe(1);
  expect(stderr.trim().split('\n')).toEqual([
    expect.stringMatching(/^✗ PAYLOAD_ENCRYPTION_KEYS saknas\. Det Temporal lagrar krypteras med den/),
  ]);
});

test('/health with a key reports the missing attributes; the commands in the refusal register them all', async () => {
  const app = await buildServer({
    db: database.db,
    engine: { client: env.client, taskQueue: 'namespace-check' },
    mailer: createSmtpMailer({ url: 'smtp://127.0.0.1:1', from: 'test@test.example' }),
    publicBaseUrl: 'http://localhost:3000',
    linkSecret: newLinkSecret(),
    rateLimits: UNLIMITED,
  });
  const { token } = await createCoordinator(database.db, { name: 'Sara Samordnare', email: 'samordnare@lessebo.example' });
  const health = await app.inject({ method: 'GET', url: '/health', headers: { authorization: `Bearer ${token}` } });
  expect(health.statusCode).toBe(503);
  expect(health.json().checks.temporal).toEqual({
    ok: false,
    error: expect.stringContaining('saknar sökattributen PromiseStatus (Keyword)'),
  });
  await app.close();

  // The line's own commands, run as an operator would paste them.
  const { stderr } = await run('worker/main.ts');
  const commands = stderr.slice(stderr.indexOf('temporal operator')).trim();
  for (const command of commands.split(' && ')) {
    const [, ...args] = command.split(' ');
    const registered = spawnSync(process.env.TEMPORAL_CLI_PATH!, args, { encoding: 'utf8' });
    expect(registered.status).toBe(0);
  }
  expect(await missingSearchAttributes(env.connection.operatorService, 'default')).toEqual([]);
});
