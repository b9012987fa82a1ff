import { createActivities } from '../activities';
import { toHttpError } from '../api/errors';
import { reportActivity } from '../api/commands';
import { addDays } from '../domain/calendar';
import { findSigningAccess } from '../store/signing';
import type { Engine } from './support/engine';
import { eventually, outboxSettled } from './support/eventually';
import { startApiTestbed, type ApiClient, type ApiTestbed } from './support/http';
import { fixture, inComingYear, lessebo, signingToken, startingOn, subjectsStartingWith, today } from './support/promises';
import { signEveryRequest } from './support/signing';

// Text that cannot be stored (NUL, and UTF-16 halves without their pair), control characters, line
// breaks and bidi overrides in names and titles, links that are not web addresses, and report dates
// outside the period or in the future are refused at every door with a 400 that names the field,
// and nothing is written.

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
  activeId = (await coordinator.post('/api/promises', { content: startingOn(fixture('ljungby-2021'), addDays(today(), -1)) })).json.id;
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
  await outboxSettled(engine.database.db);
  const before = await counts();
  await action();
  expect(await counts()).toEqual(before);
}

/** Every string in a JSON value, with its dotted path and a setter that replaces it. */
function stringLeaves(value: unknown, path: string[] = []): { path: string; set: (root: unknown, text: string) => void }[] {
  if (typeof value === 'string') {
    return [
      {
        path: path.join('.'),
        set: (root, text) => {
          const parent = path.slice(0, -1).reduce((node: never, key) => node[key], root as never) as Record<string, unknown>;
          parent[path[path.length - 1]!] = text;
        },
      },
    ];
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
  await activities.sendOccurrenceReminder({
    occurrenceId: occurrence.id,
    dueDate: occurrence.dueDate!.toISOString().slice(0, 10),
    kind: 'BEFORE',
    sequence: 0,
    scheduledFor: Date.now(),
  });
  const reportMail = await engine.mailbox.waitFor((m) =>
    m.some((x) => x.subject.startsWith('Aktivitet snart') || x.subject.startsWith('Lägesrapport snart')),
  );
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

const ONE_LINE = /^content\.(title|municipality|policeArea|place|.*\.(name|title))$/;

test('names and titles refuse line breaks, control characters and bidi overrides; long texts take line breaks, not control characters', async () => {
  const leaves = stringLeaves({ content: lessebo() }).filter((leaf) => ONE_LINE.test(leaf.path));
  expect(leaves.map((l) => l.path)).toEqual(
    expect.arrayContaining(['content.title', 'content.signatories.0.name', 'content.signatories.0.title', 'content.parties.0.name']),
  );
  const cases: [string, RegExp][] = [
    ['Anna \u202Enna', /ändrar läsriktningen \(U\+202E\)/],
    ['Anna\r\nBcc: angripare@example.com', /ska stå på en rad/],
    ['Anna\u0007', /styrtecken \(U\+0007\)/],
  ];
  await expectNothingChanged(async () => {
    for (const leaf of leaves) {
      for (const [bad, problem] of cases) {
        const body = { content: lessebo() };
        leaf.set(body, bad);
        const response = await coordinator.post('/api/promises', body);
        expect([leaf.path, response.status, response.json.details]).toEqual([
          leaf.path,
          400,
          [{ field: leaf.path, problem: expect.stringMatching(problem) }],
        ]);
      }
    }
    const controlInLongText = { content: { ...lessebo(), goal: 'Mål\u001b[31m' } };
    expect((await coordinator.post('/api/promises', controlInLongText)).json.details).toEqual([
      { field: 'content.goal', problem: expect.stringMatching(/styrtecken/) },
    ]);
  });
  const paragraphs = await coordinator.post('/api/promises', { content: { ...lessebo(), goal: 'Första stycket.\n\nAndra stycket.' } });
  expect(paragraphs.status).toBe(201);
  expect(paragraphs.json.content.goal).toBe('Första stycket.\n\nAndra stycket.');
});

test('links in reports and in references are web addresses: javascript: and data: are refused', async () => {
  const occurrence = await engine.database.db.activityOccurrence.findFirstOrThrow({ where: { promiseId: activeId } });
  await expectNothingChanged(async () => {
    for (const link of ['javascript:alert(document.cookie)', 'data:text/html,<script>alert(1)</script>', 'ftp://filer.example/x']) {
      const report = await coordinator.post(`/api/promises/${activeId}/occurrences/${occurrence.id}/reports`, {
        report: { kind: 'PROGRESS', description: 'Läget.', link },
      });
      expect([link, report.status, report.json.details]).toEqual([
        link,
        400,
        [{ field: 'report.link', problem: expect.stringMatching(/börjar med https:\/\//) }],
      ]);
      const created = await coordinator.post('/api/promises', { content: { ...lessebo(), references: { situationReportUrl: link } } });
      expect(created.json.details).toEqual([{ field: 'content.references.situationReportUrl', problem: expect.any(String) }]);
    }
  });
});

test('a report dated in the future or before the period, or postponed to a day that has passed, is refused by the API, the form and the workflow', async () => {
  const { db } = engine.database;
  const occurrence = await db.activityOccurrence.findFirstOrThrow({ where: { promiseId: activeId, kind: 'ACTIVITY' } });
  const { period } = (await coordinator.get(`/api/promises/${activeId}`)).json;
  const path = `/api/promises/${activeId}/occurrences/${occurrence.id}/reports`;
  const done = (performedOn: string) => ({ kind: 'DONE', performedOn, description: 'Genomfört.' }) as const;
  const tomorrow = addDays(today(), 1);
  await expectNothingChanged(async () => {
    const future = await coordinator.post(path, { report: done(tomorrow) });
    expect(future.json.details).toEqual([{ field: 'report.performedOn', problem: expect.stringMatching(/ligger i framtiden/) }]);
    const before = await coordinator.post(path, { report: done(addDays(period.start, -1)) });
    expect(before.json.details).toEqual([
      { field: 'report.performedOn', problem: `ska ligga inom löftets period, ${period.start} – ${period.end}` },
    ]);
    const past = await coordinator.post(path, { report: { kind: 'POSTPONED', newDueDate: addDays(today(), -1), reason: 'Flyttat.' } });
    expect(past.json.details).toEqual([{ field: 'report.newDueDate', problem: expect.stringMatching(/har redan passerat/) }]);
    const after = await coordinator.post(path, { report: { kind: 'POSTPONED', newDueDate: addDays(period.end, 1), reason: 'Flyttat.' } });
    expect(after.json.details).toEqual([{ field: 'report.newDueDate', problem: expect.stringMatching(/efter löftets period/) }]);

    // The workflow holds the same rule for a caller that goes around the API.
    const actor = { kind: 'COORDINATOR' as const, id: 'test' };
    const refused = await reportActivity(engine, activeId, {
      reportId: crypto.randomUUID(),
      occurrenceId: occurrence.id,
      report: done(tomorrow),
      actor,
    }).catch((error: unknown) => error);
    expect(toHttpError(refused)).toMatchObject({
      code: 'VALIDATION',
      statusCode: 400,
      message: expect.stringMatching(/performedOn: ligger i framtiden/),
    });
  });

  // The report page says it beside the field.
  const activities = createActivities(engine.activityDeps);
  await activities.sendOccurrenceReminder({
    occurrenceId: occurrence.id,
    dueDate: occurrence.dueDate!.toISOString().slice(0, 10),
    kind: 'BEFORE',
    sequence: 0,
    scheduledFor: Date.now(),
  });
  const mail = await eventually(async () => {
    const outbox = await db.emailOutbox.findFirstOrThrow({ where: { idempotencyKey: { startsWith: `occurrence:${occurrence.id}:` } } });
    const found = engine.mailbox.messages.find((m) => m.messageId === outbox.messageId);
    expect(found).toBeDefined();
    return found!;
  });
  const reportPath = /\/report\/[A-Za-z0-9_-]{43}/.exec(mail.text)![0];
  await expectNothingChanged(async () => {
    const page = await anonymous.form(reportPath, { kind: 'DONE', performedOn: tomorrow, description: 'Genomfört.' });
    expect(page.status).toBe(400);
    expect(page.text).toContain('<a href="#performedOn">Datum då den genomfördes</a>: ligger i framtiden');
  });
});
