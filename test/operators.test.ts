import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createActivities } from '../activities';
import { promiseWorkflowId } from '../domain/identifiers';
import { PROMISE_SEARCH_ATTRIBUTES } from '../domain/search-attributes';
import { ConfigError } from '../platform/config';
import { serveMetrics, type MetricsServer } from '../platform/metrics';
import type { Engine } from './support/engine';
import { listedWorkflows } from './support/temporal-servers';
import { eventually } from './support/eventually';
import { startApiTestbed, type ApiClient, type ApiTestbed } from './support/http';
import { inComingYear, lessebo, mailTo } from './support/promises';
import { signEveryRequest } from './support/signing';

// What an operator sees, on the dev server with the real activities: promises listed in Temporal
// by their search attributes (as the Web UI and `temporal workflow list --query` do), and the
// metrics Prometheus scrapes moving with what happened.

let testbed: ApiTestbed;
let engine: Engine;
let coordinator: ApiClient;
let metricsServer: MetricsServer;

beforeAll(async () => {
  testbed = await startApiTestbed();
  ({ engine, coordinator } = testbed);
  metricsServer = await serveMetrics(engine.metrics.registry, { host: '127.0.0.1', port: 0 });
});
beforeEach(() => engine.mailbox.refused.clear());
afterAll(async () => {
  await metricsServer?.close();
  await testbed?.stop();
});

/** One scrape of the metrics endpoint, as Prometheus reads it: each sample with its labels. */
async function scrape() {
  const response = await fetch(metricsServer.url);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toContain('text/plain');
  const samples = (await response.text())
    .split('\n')
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => {
      const [, name, labels = '', value] = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line)!;
      return {
        name: name!,
        labels: Object.fromEntries([...labels.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]])),
        value: Number(value),
      };
    });
  /** The sum of a metric's samples whose labels include these. */
  return (name: string, labels: Record<string, string> = {}) =>
    samples
      .filter((s) => s.name === name && Object.entries(labels).every(([key, value]) => s.labels[key] === value))
      .reduce((sum, s) => sum + s.value, 0);
}

test('after a signing round with one bounced address, each search attribute lists the promise, and the counters moved', async () => {
  const before = await scrape();
  const content = inComingYear(lessebo());
  const bounced = content.signatories[1]!;
  engine.mailbox.refuse(bounced.email);
  const { id } = (await coordinator.post('/api/promises', { content })).json;
  expect((await coordinator.post(`/api/promises/${id}/submit`)).status).toBe(200);
  const workflowId = promiseWorkflowId(id);
  // While the round runs: listed as SIGNING, by municipality.
  await eventually(async () =>
    expect(await listedWorkflows(engine.client, `PromiseStatus = 'SIGNING' AND PromiseMunicipality = '${content.municipality}'`)).toContain(
      workflowId,
    ),
  );

  await eventually(async () => expect((await coordinator.get(`/api/promises/${id}`)).json.needsAttention).toBe(true));
  const corrected = await coordinator.post(`/api/promises/${id}/address-corrections`, {
    previous: bounced.email,
    email: 'ny@butik.example',
  });
  expect(corrected.status).toBe(200);
  await engine.mailbox.waitFor((m) => mailTo(m, 'ny@butik.example').length === 1);
  await signEveryRequest(engine, id);

  const { end } = content.period;
  const queries = {
    status: `PromiseStatus = 'ACTIVE'`,
    municipality: `PromiseMunicipality = '${content.municipality}'`,
    policeArea: `PromisePoliceArea = '${content.policeArea}'`,
    periodEnd: `PromisePeriodEnd BETWEEN '${end}T00:00:00Z' AND '${end}T23:59:59Z'`,
    needsAttention: `PromiseNeedsAttention = false`,
  };
  for (const query of Object.values(queries)) {
    await eventually(async () =>
      expect({ query, found: (await listedWorkflows(engine.client, query)).includes(workflowId) }).toEqual({ query, found: true }),
    );
  }
  expect(await listedWorkflows(engine.client, `PromiseStatus = 'SIGNING'`)).not.toContain(workflowId);
  const attributes = (await engine.client.workflow.getHandle(workflowId).describe()).typedSearchAttributes;
  const keys = PROMISE_SEARCH_ATTRIBUTES;
  expect([keys.status, keys.municipality, keys.policeArea, keys.needsAttention].map((key) => attributes.get(key))).toEqual([
    'ACTIVE',
    'Lessebo',
    content.policeArea,
    false,
  ]);
  expect(attributes.get(keys.periodEnd)?.toISOString()).toBe(`${end}T00:00:00.000Z`);
  // Nothing personal: no attribute holds an address or a name.
  const values = JSON.stringify(attributes.getAll().map((pair) => pair.value));
  for (const signatory of content.signatories) {
    expect(values).not.toContain(signatory.email);
    expect(values).not.toContain(signatory.name);
  }

  const after = await scrape();
  const moved = (name: string, labels: Record<string, string>) => after(name, labels) - before(name, labels);
  expect(moved('medborgarloften_emails_total', { purpose: 'SIGNING_REQUEST', outcome: 'sent' })).toBe(content.signatories.length - 1);
  expect(moved('medborgarloften_emails_total', { purpose: 'SIGNING_REQUEST', outcome: 'undeliverable' })).toBe(1);
  expect(moved('medborgarloften_emails_total', { outcome: 'sent' })).toBeGreaterThan(content.signatories.length);
  expect(moved('medborgarloften_signing_rounds_total', { outcome: 'completed' })).toBe(1);
  expect(moved('medborgarloften_signing_round_duration_seconds_count', { outcome: 'completed' })).toBe(1);
  // By route pattern and status: the submit and the correction, and never a token or an id.
  expect(moved('medborgarloften_http_request_duration_seconds_count', { route: '/api/promises/:id/submit', status: '200' })).toBe(1);
  expect(moved('medborgarloften_http_request_duration_seconds_count', { route: '/api/promises/:id/address-corrections' })).toBe(1);
  const text = await (await fetch(metricsServer.url)).text();
  expect(text).not.toContain(id);
  expect(text).toContain('process_cpu_seconds_total');
});

test('the gauges read the records when scraped: a promise needing attention, an occurrence overdue', async () => {
  const content = inComingYear(lessebo());
  const { id } = (await coordinator.post('/api/promises', { content })).json;
  expect((await coordinator.post(`/api/promises/${id}/submit`)).status).toBe(200);
  await signEveryRequest(engine, id);
  const before = await scrape();

  // What the workflow records when a step fails for good, and an occurrence whose date has passed.
  const since = Date.now();
  await createActivities(engine.activityDeps).recordAttention({ promiseId: id, reason: 'Prov', since });
  const occurrence = await engine.database.db.activityOccurrence.findFirstOrThrow({ where: { promiseId: id, dueDate: { not: null } } });
  await engine.database.db.activityOccurrence.update({ where: { id: occurrence.id }, data: { dueDate: new Date('2020-01-01') } });

  const after = await scrape();
  expect(after('medborgarloften_promises_needing_attention') - before('medborgarloften_promises_needing_attention')).toBe(1);
  expect(after('medborgarloften_occurrences_overdue') - before('medborgarloften_occurrences_overdue')).toBe(1);
  await createActivities(engine.activityDeps).clearAttention({ promiseId: id, since, actor: { kind: 'SYSTEM', id: 'prov' } });
  expect((await scrape())('medborgarloften_promises_needing_attention')).toBe(before('medborgarloften_promises_needing_attention'));
});

test('a metrics port already taken is refused in one line that names it', async () => {
  const port = Number(new URL(metricsServer.url).port);
  await expect(serveMetrics(engine.metrics.registry, { host: '127.0.0.1', port })).rejects.toThrow(
    new ConfigError(`Porten för mätvärden, 127.0.0.1:${port}, är upptagen. Välj en annan eller 0 för av (README, Miljövariabler).`),
  );
});

/** `npm run replay:cluster` against this file's dev server, as an operator runs it before a deploy. */
async function replayCluster(...args: string[]): Promise<{ code: number; output: string }> {
  const root = join(__dirname, '..');
  const env = {
    PATH: process.env.PATH,
    TEMPORAL_ADDRESS: engine.env.address,
    TEMPORAL_NAMESPACE: engine.env.namespace ?? 'default',
    PAYLOAD_ENCRYPTION_KEYS: engine.payloadKeys,
  };
  try {
    const { stdout } = await promisify(execFile)('node', [join(root, 'scripts', 'bootstrap.mjs'), 'replay:cluster', ...args], {
      cwd: root,
      env,
    });
    return { code: 0, output: stdout };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, output: failed.stdout + failed.stderr };
  }
}

test('the cluster replay passes the running promises on this code, and refuses a change made without patched()', async () => {
  const running = await listedWorkflows(engine.client, `ExecutionStatus = 'Running' AND WorkflowType = 'promiseLifecycleWorkflow'`);
  expect(running.length).toBeGreaterThanOrEqual(2);

  const passed = await replayCluster();
  expect(passed.output).toContain(`✓ Alla ${running.length} uppspelade utan avvikelse`);
  expect(passed.code).toBe(0);

  const refused = await replayCluster('--workflows', join(__dirname, 'support', 'nondeterministic-workflows.ts'));
  expect(refused.code).toBe(1);
  expect(refused.output).toContain(`✗ ${running.length} av ${running.length} tar en annan väg med den här koden`);
  for (const workflowId of running) expect(refused.output).toContain(`✗ ${workflowId}`);
});
