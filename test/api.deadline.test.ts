import type { FastifyInstance } from 'fastify';
import { createCoordinator } from '../store/coordinators';
import { startEngine, type Engine } from './support/engine';
import { client, pageHash, startApi, type ApiClient } from './support/http';
import { inComingYear, lessebo, subjectsStartingWith } from './support/promises';
import { eventually } from './support/eventually';

// With no worker running, a command must not hang or be applied later behind the person's back:
// the API waits COMMAND_DEADLINE, then answers 503 with Retry-After (a page for people) saying that
// nothing changed; the workflow refuses the command when a worker comes back; the same call made
// again then takes effect once. On the dev server, with the worker stopped and started again.

const DEADLINE_MS = 1_500;
let engine: Engine;
let api: { app: FastifyInstance; baseUrl: string };
let coordinator: ApiClient;
let token: string;

beforeAll(async () => {
  engine = await startEngine('dev-server');
  api = await startApi(engine, { engine: { ...engine, commandDeadlineMs: DEADLINE_MS } });
  ({ token } = await createCoordinator(engine.database.db, { name: 'Sara Samordnare', email: 'samordnare@lessebo.example' }));
  coordinator = client(api.baseUrl, token);
});
afterAll(async () => {
  await api?.app.close();
  await engine?.stop();
});

const timed = async <T>(call: () => Promise<T>) => {
  const started = Date.now();
  const result = await call();
  return { result, ms: Date.now() - started };
};

test('with the worker stopped, a signature and a withdrawal answer 503 in time, are not applied when it returns, and go through once on a retry', async () => {
  const created = await coordinator.post('/api/promises', { content: inComingYear(lessebo()) });
  const id: string = created.json.id;
  await coordinator.post(`/api/promises/${id}/submit`);
  const mails = await engine.mailbox.waitFor((m) => subjectsStartingWith(m, 'Signera medborgarlöftet').length >= 8);
  const path = /\/sign\/[A-Za-z0-9_-]{43}/.exec(subjectsStartingWith(mails, 'Signera medborgarlöftet')[0]!.text)![0];
  const hash = pageHash(await (await fetch(`${api.baseUrl}${path}`)).text());
  const sign = () =>
    fetch(`${api.baseUrl}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ decision: 'SIGN', documentSha256: hash }).toString(),
    });

  await engine.stopWorker();
  const signed = await timed(sign);
  expect(signed.ms).toBeLessThan(DEADLINE_MS * 4);
  expect(signed.result.status).toBe(503);
  expect(signed.result.headers.get('content-type')).toContain('text/html');
  expect(await signed.result.text()).toContain('ingenting ändrades');

  const withdrawn = await timed(() => coordinator.post(`/api/promises/${id}/withdraw`, { reason: 'Fel kommun.' }));
  expect(withdrawn.ms).toBeLessThan(DEADLINE_MS * 4);
  expect(withdrawn.result.status).toBe(503);
  expect(withdrawn.result.json).toEqual({ error: 'UNAVAILABLE', message: expect.stringContaining('ingenting ändrades') });

  // The worker comes back and takes what waited for it: both are refused as late, nothing changed.
  await engine.startWorker();
  const { db } = engine.database;
  await new Promise((resolve) => setTimeout(resolve, 3_000));
  expect(await db.signature.count({ where: { request: { round: { promiseId: id } } } })).toBe(0);
  expect((await coordinator.get(`/api/promises/${id}`)).json.status).toBe('SIGNING');

  // The same post again takes effect, once.
  const again = await sign();
  expect(again.status).toBe(200);
  await eventually(async () => expect(await db.signature.count({ where: { request: { round: { promiseId: id } } } })).toBe(1));
});

test('a submit with no worker answers 503 with Retry-After, and the draft stays a draft', async () => {
  await engine.stopWorker();
  try {
    const created = await coordinator.post('/api/promises', { content: inComingYear(lessebo()) });
    const response = await fetch(`${api.baseUrl}/api/promises/${created.json.id}/submit`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('30');
    expect((await engine.database.db.promiseRecord.findUniqueOrThrow({ where: { id: created.json.id } })).status).toBe('DRAFT');
  } finally {
    await engine.startWorker();
  }
});
