import type { FastifyInstance } from 'fastify';
import { promiseWorkflowId } from '../domain/identifiers';
import { createCoordinator } from '../store/coordinators';
import { startEngine, type Engine } from './support/engine';
import { eventually } from './support/eventually';
import { client, pageHash, startApi } from './support/http';
import { inComingYear, lessebo, subjectsStartingWith } from './support/promises';

// The whole path as a newcomer walks it, over HTTP: Temporal dev server, PostgreSQL, a real SMTP
// server. Create, submit, read each e-mail off SMTP, follow each link, sign, see ACTIVE.

let engine: Engine;
let api: { app: FastifyInstance; baseUrl: string };
let coordinator: ReturnType<typeof client>;

beforeAll(async () => {
  engine = await startEngine('dev-server');
  api = await startApi(engine);
  const { token } = await createCoordinator(engine.database.db, { name: 'Sara Samordnare', email: 'samordnare@lessebo.example' });
  coordinator = client(api.baseUrl, token);
});
afterAll(async () => {
  await api?.app.close();
  await engine?.stop();
});

test('Lessebo 2020: created, submitted, signed by all eight through their links, and ACTIVE', async () => {
  const created = await coordinator.post('/api/promises', { content: inComingYear(lessebo()) });
  expect(created.status).toBe(201);
  expect(created.json.status).toBe('DRAFT');
  const id: string = created.json.id;
  const sha256: string = created.json.currentVersion.sha256;

  const submitted = await coordinator.post(`/api/promises/${id}/submit`);
  expect(submitted.status).toBe(200);
  expect(submitted.json).toMatchObject({ status: 'SIGNING', roundNumber: 1, versionNumber: 1 });
  const runId = (await engine.client.workflow.getHandle(promiseWorkflowId(id)).describe()).runId;

  // Submitting twice starts nothing new.
  const again = await coordinator.post(`/api/promises/${id}/submit`);
  expect(again.status).toBe(409);
  expect((await engine.client.workflow.getHandle(promiseWorkflowId(id)).describe()).runId).toBe(runId);

  const requests = subjectsStartingWith(
    await engine.mailbox.waitFor((m) => subjectsStartingWith(m, 'Signera medborgarlöftet').length === 8),
    'Signera medborgarlöftet',
  );
  const publicSign = /http:\/\/localhost:3000(\/sign\/[A-Za-z0-9_-]{43})/;
  for (const mail of requests) {
    const path = publicSign.exec(mail.text)![1]!;
    const pageView = await client(api.baseUrl).get(path);
    expect(pageView.status).toBe(200);
    expect(pageView.text).toContain(sha256);
    expect(pageView.text).toContain('Trygg i butik i Lessebo kommun');
    const signed = await client(api.baseUrl).form(path, { decision: 'SIGN', documentSha256: pageHash(pageView.text) });
    expect(signed.status).toBe(200);
    expect(signed.text).toContain('Tack för din signatur');
  }

  const active = await eventually(async () => {
    const view = await coordinator.get(`/api/promises/${id}`);
    expect(view.json.status).toBe('ACTIVE');
    return view.json;
  });
  expect(active.signingRound.signatories.every((s: { status: string }) => s.status === 'SIGNED')).toBe(true);

  // Each e-mail exactly once: 8 requests, then confirmations to 8 signatories and the coordinator.
  const messages = await engine.mailbox.waitFor((m) => subjectsStartingWith(m, 'Medborgarlöftet är signerat').length === 9);
  const keys = messages.map((m) => `${m.to.join(',')}|${m.subject}`);
  expect(new Set(keys).size).toBe(keys.length);
  expect(messages).toHaveLength(17);
  await eventually(async () => {
    const outbox = await engine.database.db.emailOutbox.findMany({ where: { promiseId: id } });
    expect(outbox).toHaveLength(17);
    expect(outbox.filter((o) => o.status !== 'SENT' || o.attempts !== 1)).toEqual([]);
  });

  const signatures = await engine.database.db.signature.findMany({ where: { request: { round: { promiseId: id } } } });
  expect(signatures).toHaveLength(8);
  expect(signatures.every((s) => s.documentSha256 === sha256 && s.userAgent === 'jest-e2e' && s.ipAddress)).toBe(true);

  const audit = await coordinator.get(`/api/promises/${id}/audit`);
  const actions: string[] = audit.json.map((e: { action: string }) => e.action);
  expect(actions.filter((a) => a === 'SIGNED')).toHaveLength(8);
  expect(actions.filter((a) => a === 'EMAIL_SENT')).toHaveLength(17);
  for (const step of ['PROMISE_CREATED', 'SIGNING_ROUND_STARTED', 'SIGNING_ROUND_COMPLETED', 'ACTIVATED']) {
    expect(actions).toContain(step);
  }
  expect(actions.indexOf('PROMISE_CREATED')).toBe(0);
  expect(actions.indexOf('ACTIVATED')).toBeGreaterThan(actions.lastIndexOf('SIGNED'));

  // A link used again after the round is over shows its receipt and changes nothing.
  const late = await client(api.baseUrl).form(publicSign.exec(requests[0]!.text)![1]!, { decision: 'SIGN', documentSha256: sha256 });
  expect(late.status).toBe(200);
  expect(late.text).toContain('Du har signerat');
  expect(await engine.database.db.signature.count({ where: { request: { round: { promiseId: id } } } })).toBe(8);
});

test('the audit log is append-only in the database itself', async () => {
  await expect(engine.database.db.auditEvent.deleteMany({})).rejects.toThrow(/bara för tillägg/);
  await expect(engine.database.db.auditEvent.updateMany({ data: { action: 'X' } })).rejects.toThrow(/bara för tillägg/);
});

test('GET /health says ok to anyone, and reports Temporal, the database and SMTP to a coordinator', async () => {
  const anonymous = await client(api.baseUrl).get('/health');
  expect(anonymous.status).toBe(200);
  expect(anonymous.json).toEqual({ status: 'ok' });
  const detailed = await coordinator.get('/health');
  expect(detailed.json).toEqual({ status: 'ok', checks: { temporal: { ok: true }, database: { ok: true }, smtp: { ok: true } } });
});

test('GET /openapi.json describes the API from the zod schemas', async () => {
  const doc = await client(api.baseUrl).get('/openapi.json');
  expect(doc.status).toBe(200);
  expect(doc.json.openapi).toBe('3.1.0');
  const create = doc.json.paths['/api/promises'].post;
  const schema = create.requestBody.content['application/json'].schema;
  expect(schema.required).toContain('content');
  expect(schema.properties.content.required).toEqual(expect.arrayContaining(['title', 'period', 'signatories', 'parties']));
  expect(schema.properties.content.properties.signatories.items.properties.email.format).toBe('email');
  expect(Object.keys(doc.json.paths)).toEqual(
    expect.arrayContaining(['/api/promises/{id}/submit', '/api/promises/{id}/content', '/sign/{token}', '/health']),
  );
  // Every operation has a name of its own for generated clients: one word in camelCase, none twice.
  const operations = Object.entries(doc.json.paths as Record<string, Record<string, { operationId?: string }>>).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, operation]) => ({ at: `${method.toUpperCase()} ${path}`, id: operation.operationId })),
  );
  expect(operations.filter((o) => !o.id || !/^[a-z][A-Za-z0-9]+$/.test(o.id))).toEqual([]);
  const ids = operations.map((o) => o.id);
  expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
  expect(create.operationId).toBe('createPromise');
  expect(doc.json.paths['/oppna-data/rapporter-kalkylblad.csv'].get.operationId).toBe('openDataCsvRapporterKalkylblad');
});
