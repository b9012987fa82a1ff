import { createActivities } from '../activities';
import { findSigningAccess } from '../store/signing';
import type { Engine } from './support/engine';
import { eventually } from './support/eventually';
import { startApiTestbed, type ApiClient, type ApiTestbed } from './support/http';
import { fixture, inComingYear, lessebo, signingToken, subjectsStartingWith } from './support/promises';
import { signEveryRequest } from './support/signing';

// Text that cannot be stored (NUL, and UTF-16 halves without their pair) is refused at every
// door with a 400 that names the field, and nothing is written.

const NUL = 'a\u0000b';
const HIGH = 'a\ud800b';
const LOW = 'a\udc00b';

let testbed: ApiTestbed;
let engine: Engine;
let coordinator: ApiClient;
let anonymous: ApiClient;
let draftId: string;
let activeId: string;

beforeAll(async () => {
  testbed = await startApiTestbed();
  ({ engine, coordinator, anonymous } = testbed);
  draftId = (await coordinator.post('/api/promises', { content: inComingYear(lessebo()) })).json.id;
  activeId = (await coordinator.post('/api/promises', { content: inComingYear(fixture('ljungby-2021')) })).json.id;
  expect((await coordinator.post(`/api/promises/${activeId}/submit`)).status).toBe(200);
  await signEveryRequest(engine, activeId);
});
afterAll(async () => {
  await testbed?.stop();
});

const counts = async () => {
  const { db } = engine.database;
  return {
    promises: await db.promiseRecord.count(),
    versions: await db.documentVersion.count(),
    signatures: await db.signature.count(),
    reports: await db.activityReport.count(),
    followUps: await db.followUpReport.count({ where: { status: 'PUBLISHED' } }),
    audit: await db.auditEvent.count(),
    outbox: await db.emailOutbox.count(),
  };
};

async function expectNothingChanged(action: () => Promise<void>) {
  const before = await counts();
  await action();
  expect(await counts()).toEqual(before);
}

/** Every string in a JSON value, with its dotted path and a setter that replaces it. */
function stringLeaves(value: unknown, path: string[] = []): { path: string; set: (root: unknown, text: string) => void }[] {
  if (typeof value === 'string') {
    return [{
      path: path.join('.'),
      set: (root, text) => {
        const parent = path.slice(0, -1).reduce((node: never, key) => node[key], root as never) as Record<string, unknown>;
        parent[path[path.length - 1]!] = text;
      },
    }];
  }
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([key, child]) => stringLeaves(child, [...path, key]));
  return [];
}

test('every text field of a new promise: NUL or a lone surrogate is a 400 naming that field', async () => {
  const leaves = stringLeaves({ content: lessebo() });
  expect(leaves.length).toBeGreaterThan(60);
  await expectNothingChanged(async () => {
    for (const leaf of leaves) {
      for (const bad of [NUL, HIGH, LOW]) {
        const body = { content: lessebo() };
        leaf.set(body, bad);
        const response = await coordinator.post('/api/promises', body);
        expect([leaf.path, response.status]).toEqual([leaf.path, 400]);
        expect(response.json.error).toBe('VALIDATION');
        expect(response.json.details).toEqual([{ field: leaf.path, problem: expect.stringMatching(/tecken som inte kan lagras/) }]);
      }
    }
  });
});

test('a NUL in a field name, in settings and in the path is refused too', async () => {
  await expectNothingChanged(async () => {
    const key = await coordinator.post('/api/promises', { content: lessebo(), ['x\u0000']: 1 });
    expect(key.status).toBe(400);
    expect(key.json.details[0].problem).toMatch(/tecken som inte kan lagras/);
    const settings = await coordinator.post('/api/promises', { content: lessebo(), settings: { signing: { deadline: '3\u0000d' } } });
    expect(settings.status).toBe(400);
    expect(settings.json.details).toEqual([{ field: 'settings.signing.deadline', problem: expect.stringMatching(/NUL/) }]);
    const path = await coordinator.get('/api/promises/%00');
    expect(path.status).toBe(400);
  });
});

test('editing, withdrawing, reporting and publishing with such text are 400s', async () => {
  const content = inComingYear(lessebo());
  content.goal = HIGH;
  const occurrence = await engine.database.db.activityOccurrence.findFirstOrThrow({ where: { promiseId: activeId } });
  await expectNothingChanged(async () => {
    expect((await coordinator.put(`/api/promises/${draftId}/content`, { content })).status).toBe(400);
    expect((await coordinator.put(`/api/promises/${activeId}/content`, { content })).status).toBe(400);
    const withdraw = await coordinator.post(`/api/promises/${draftId}/withdraw`, { reason: NUL });
    expect(withdraw.json.details).toEqual([{ field: 'reason', problem: expect.stringMatching(/NUL/) }]);
    const report = await coordinator.post(`/api/promises/${activeId}/occurrences/${occurrence.id}/reports`, {
      report: { kind: 'CANCELLED', reason: LOW },
    });
    expect(report.json.details).toEqual([{ field: 'report.reason', problem: expect.stringMatching(/surrogat/) }]);
    const publish = await coordinator.post(`/api/promises/${activeId}/follow-ups/1/publish`, { narrative: NUL });
    expect(publish.status).toBe(400);
  });
});

test('the signing and report pages answer a NUL in a form with a 400 page naming the field', async () => {
  const submitted = await coordinator.post(`/api/promises/${draftId}/submit`);
  expect(submitted.status).toBe(200);
  const signPath = await eventually(async () => {
    for (const mail of subjectsStartingWith(engine.mailbox.messages, 'Signera medborgarlöftet')) {
      const access = await findSigningAccess(engine.database.db, signingToken(mail));
      if (access?.request.round.promiseId === draftId) return `/sign/${signingToken(mail)}`;
    }
    throw new Error('Ingen signeringslänk för utkastet ännu');
  });
  const occurrence = await engine.database.db.activityOccurrence.findFirstOrThrow({ where: { promiseId: activeId } });
  const activities = createActivities(engine.activityDeps);
  await activities.sendOccurrenceReminder({ occurrenceId: occurrence.id, dueDate: occurrence.dueDate.toISOString().slice(0, 10), kind: 'BEFORE', sequence: 0, scheduledFor: Date.now() });
  const reportMail = await engine.mailbox.waitFor((m) => m.some((x) => x.subject.startsWith('Aktivitet snart') || x.subject.startsWith('Lägesrapport snart')));
  const reportPath = /\/report\/[A-Za-z0-9_-]{43}/.exec(reportMail.find((x) => /snart/.test(x.subject))!.text)![0];

  await expectNothingChanged(async () => {
    const decline = await anonymous.form(signPath, { decision: 'DECLINE', reason: NUL, documentSha256: '0'.repeat(64) });
    expect(decline.status).toBe(400);
    expect(decline.text).toContain('reason');
    expect(decline.text).toMatch(/tecken som inte kan lagras/);
    const report = await anonymous.form(reportPath, { kind: 'CANCELLED', reason: NUL });
    expect(report.status).toBe(400);
    expect(report.text).toMatch(/tecken som inte kan lagras/);
  });
});
