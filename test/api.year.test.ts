import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { createActivities } from '../activities';
import { promiseWorkflowId } from '../domain/identifiers';
import {
  addDays,
  addMonths,
  isWorkingDay,
  stockholmDateOf,
  stockholmHourOn,
  stockholmTimeOf,
  workingDayOnOrBefore,
} from '../domain/calendar';
import { swedishCalendarFor } from '../domain/working-days';
import { expandSchedule } from '../domain/schedule';
import { createCoordinator } from '../store/coordinators';
import { startEngine, type Engine } from './support/engine';
import { eventually, outboxSettled } from './support/eventually';
import { client, startApi } from './support/http';
import { fixture, inComingYear, signingToken, startingOn, subjectsStartingWith, today } from './support/promises';
import { signEveryRequest } from './support/signing';

// The year over HTTP on the dev server: the schedule preview, coordinator reports, the personal
// report page behind a real reminder's link (and what it refuses), follow-ups, renewal, and a
// withdrawal that stops the year. The period began yesterday: activities can be reported done today,
// and the first reminder is months away, so no timer fires by itself here.

let engine: Engine;
let api: { app: FastifyInstance; baseUrl: string };
let coordinator: ReturnType<typeof client>;
let ownToken: string;
let stranger: ReturnType<typeof client>;
let promiseId: string;
/** The report link from the first dialogue meeting's reminder. */
let meetingLink: string;
const anonymous = () => client(api.baseUrl);

beforeAll(async () => {
  engine = await startEngine('dev-server');
  api = await startApi(engine);
  const own = await createCoordinator(engine.database.db, { name: 'Sara Samordnare', email: 'samordnare@ljungby.example' });
  const other = await createCoordinator(engine.database.db, { name: 'Olle Annan', email: 'olle@annan.example' });
  coordinator = client(api.baseUrl, own.token);
  ownToken = own.token;
  stranger = client(api.baseUrl, other.token);
  const created = await coordinator.post('/api/promises', { content: startingOn(fixture('ljungby-2021'), addDays(today(), -1)) });
  expect(created.status).toBe(201);
  promiseId = created.json.id;
});
afterAll(async () => {
  await api?.app.close();
  await engine?.stop();
});

const counts = async () => {
  const { db } = engine.database;
  await outboxSettled(db);
  return {
    reports: await db.activityReport.count(),
    occurrences: await db.activityOccurrence.groupBy({ by: ['status'], _count: true, orderBy: { status: 'asc' } }),
    audit: await db.auditEvent.count(),
  };
};

/** Sends a real reminder for an occurrence (the activity the workflow runs) and returns its link's path. */
async function reminderLink(occurrenceId: string, dueDate: string): Promise<string> {
  const activities = createActivities(engine.activityDeps);
  await activities.sendOccurrenceReminder({ occurrenceId, dueDate, kind: 'BEFORE', sequence: 0, scheduledFor: Date.now() });
  const mail = await eventually(async () => {
    const outbox = await engine.database.db.emailOutbox.findFirstOrThrow({
      where: { idempotencyKey: { startsWith: `occurrence:${occurrenceId}:` } },
    });
    const found = engine.mailbox.messages.find((m) => m.messageId === outbox.messageId);
    expect(found).toBeDefined();
    return found!;
  });
  return /http:\/\/localhost:3000(\/report\/[A-Za-z0-9_-]{43})/.exec(mail.text)![1]!;
}

test('the schedule can be previewed before signing: each occurrence, who, when, which reminders', async () => {
  const schedule = await coordinator.get(`/api/promises/${promiseId}/schedule`);
  expect(schedule.status).toBe(200);
  const { content } = (await coordinator.get(`/api/promises/${promiseId}`)).json;
  const calendar = swedishCalendarFor(content.period);
  expect(schedule.json.occurrences.map((o: { commitmentKey: string; dueDate: string }) => [o.commitmentKey, o.dueDate])).toEqual(
    expandSchedule(content, { calendar }).map((o) => [o.commitmentKey, o.dueDate]),
  );
  expect(schedule.json.reminderRule).toContain('kl. 08.00 svensk tid på arbetsdagar');
  const meeting = schedule.json.occurrences.find((o: { commitmentKey: string }) => o.commitmentKey === 'dialogmoten');
  // The first of two meetings a year falls on the last working day of the period's first half.
  const due = workingDayOnOrBefore(calendar, addDays(addMonths(content.period.start, 6), -1));
  expect(meeting).toMatchObject({ dueDate: due, contacts: [{ email: 'trygghet@ljungby.example' }] });
  const reminders: { kind: string; at: string }[] = meeting.reminders;
  expect(reminders.map((r) => r.kind)).toEqual(['BEFORE', 'DUE', 'OVERDUE', 'OVERDUE', 'ESCALATION', 'OVERDUE', 'OVERDUE']);
  expect(reminders[1]!.at).toBe(new Date(stockholmHourOn(due, 8)).toISOString());
  // Every one at 08:00 in Sweden on a working day.
  for (const { at } of reminders) {
    const day = stockholmDateOf(Date.parse(at));
    expect({ at, working: isWorkingDay(calendar, day), local: stockholmTimeOf(Date.parse(at)).slice(11) }).toEqual({
      at,
      working: true,
      local: '08:00',
    });
  }
  const { start, end } = content.period;
  expect(schedule.json.followUps).toEqual([{ index: 1, start, end, final: true, draftedAt: `${addDays(end, 1)}T00:00:00.000Z` }]);
  expect(schedule.json.renewalAt).toBe(`${addDays(end, 1 - 60)}T00:00:00.000Z`);
  expect((await stranger.get(`/api/promises/${promiseId}/schedule`)).status).toBe(404);
});

test('year actions before signing are refused with 409, and nothing is written', async () => {
  const before = await counts();
  const renewal = await coordinator.post(`/api/promises/${promiseId}/renewal`);
  expect(renewal.status).toBe(409);
  expect(renewal.json.message).toBe('Det går bara när löftet är aktivt eller under uppföljning.');
  expect((await coordinator.post(`/api/promises/${promiseId}/follow-ups/1/publish`, { narrative: 'x' })).status).toBe(409);
  expect(await counts()).toEqual(before);
});

test('once signed: occurrences listed, reported and corrected by the coordinator through the API', async () => {
  expect((await coordinator.post(`/api/promises/${promiseId}/submit`)).status).toBe(200);
  await signEveryRequest(engine, promiseId);
  const occurrences = await coordinator.get(`/api/promises/${promiseId}/occurrences`);
  expect(occurrences.status).toBe(200);
  expect(occurrences.json).toHaveLength(11);
  const cleanup = occurrences.json.find((o: { commitmentKey: string }) => o.commitmentKey === 'grannsamverkan');
  const path = `/api/promises/${promiseId}/occurrences/${cleanup.id}/reports`;

  const cancelled = await coordinator.post(path, { report: { kind: 'CANCELLED', reason: 'Inställt på grund av pandemin.' } });
  expect(cancelled.status).toBe(201);
  expect(cancelled.json).toMatchObject({ status: 'CANCELLED', reports: [{ kind: 'CANCELLED', reason: 'Inställt på grund av pandemin.' }] });

  // A second report without saying what it corrects is refused; a correction is added, not overwritten.
  const again = await coordinator.post(path, { report: { kind: 'CANCELLED', reason: 'Igen.' } });
  expect(again).toMatchObject({ status: 409, json: { error: 'ALREADY_REPORTED' } });
  const correction = await coordinator.post(path, {
    report: { kind: 'DONE', performedOn: today(), description: 'Mötet hölls digitalt ändå.', participants: 12, hours: 1.5 },
    correctsReportId: cancelled.json.reports[0].id,
  });
  expect(correction.status).toBe(201);
  expect(correction.json.status).toBe('DONE');
  expect(
    correction.json.reports.map((r: { kind: string; correctsReportId: string | null; hours: number | null }) => [
      r.kind,
      r.correctsReportId,
      r.hours,
    ]),
  ).toEqual([
    ['CANCELLED', null, null],
    ['DONE', cancelled.json.reports[0].id, 1.5],
  ]);

  // Bad input names the field; another coordinator, or an occurrence that is not this promise's, gets
  // 404; a promise that is not in its year gets 409.
  const elsewhere = await coordinator.post('/api/promises', { content: inComingYear(fixture('lessebo-2020')) });
  const before = await counts();
  const invalid = await coordinator.post(path, { report: { kind: 'DONE', performedOn: '2021-02-30', description: '' } });
  expect(invalid.status).toBe(400);
  expect(invalid.json.details.map((d: { field: string }) => d.field).sort()).toEqual(['report.description', 'report.performedOn']);
  expect((await coordinator.post(path, { report: { kind: 'LATER' } })).status).toBe(400);
  expect((await stranger.post(path, { report: { kind: 'CANCELLED', reason: 'x' } })).status).toBe(404);
  expect(
    (
      await coordinator.post(`/api/promises/${elsewhere.json.id}/occurrences/${cleanup.id}/reports`, {
        report: { kind: 'CANCELLED', reason: 'x' },
      })
    ).status,
  ).toBe(409);
  expect(
    (await coordinator.post(`/api/promises/${promiseId}/occurrences/not-a-uuid/reports`, { report: { kind: 'CANCELLED', reason: 'x' } }))
      .status,
  ).toBe(400);
  expect(
    (
      await coordinator.post(`/api/promises/${promiseId}/occurrences/${elsewhere.json.id}/reports`, {
        report: { kind: 'CANCELLED', reason: 'x' },
      })
    ).status,
  ).toBe(404);
  expect(await counts()).toEqual(before);
});

test("the reminder's personal link: the page, a report, a correction; malformed, foreign and expired links change nothing", async () => {
  const occurrences = (await coordinator.get(`/api/promises/${promiseId}/occurrences`)).json;
  const meeting = occurrences.find(
    (o: { commitmentKey: string; sequence: number }) => o.commitmentKey === 'dialogmoten' && o.sequence === 1,
  );
  const path = await reminderLink(meeting.id, meeting.dueDate);
  meetingLink = path;

  const view = await anonymous().get(path);
  expect(view.status).toBe(200);
  expect(view.text).toContain(meeting.commitment);
  expect(view.text).toContain(`Planerad till ${meeting.dueDate}.`);
  // Who to ask is on the page: the promise's coordinator.
  expect(view.text).toContain('Vem frågar');

  // A form with problems comes back with each field named, and records nothing.
  let before = await counts();
  const wrong = await anonymous().form(path, { kind: 'POSTPONED', newDueDate: 'snart', reason: '' });
  expect(wrong.status).toBe(400);
  expect(wrong.text).toContain('<a href="#newDueDate">Nytt datum</a>: ska vara ett datum');
  expect(wrong.text).toContain('<a href="#reason">Skäl</a>: saknas</li>');
  // What was sent comes back in the form, so nothing has to be typed again.
  expect(wrong.text).toContain('<option value="POSTPONED" selected>');
  expect(wrong.text).toContain('id="newDueDate" name="newDueDate" type="date" value="snart"');
  expect(await counts()).toEqual(before);

  // Postponed: the occurrence moves; then done; then corrected from the same link.
  const moved = addDays(meeting.dueDate, 46);
  const postponed = await anonymous().form(path, {
    kind: 'POSTPONED',
    newDueDate: moved,
    reason: 'Semestertider.',
    description: 'ignoreras',
  });
  expect(postponed.status).toBe(200);
  expect(postponed.text).toContain(`flyttad till ${moved}`);
  const done = await anonymous().form(path, {
    kind: 'DONE',
    performedOn: today(),
    description: 'Dialogmöte om trygghet i Lagan.',
    participants: '25',
  });
  expect(done.status).toBe(200);
  const page = await anonymous().get(path);
  expect(page.text).toContain('redan rapporterad');
  // The contact's own latest report is the one a correction replaces, unless another is chosen.
  const correctsReportId = /<select id="correctsReportId"[^>]*>.*?<option value="([0-9a-f-]{36})" selected>/s.exec(page.text)![1]!;
  const notOwn = await anonymous().form(path, { kind: 'DONE', performedOn: today(), correctsReportId: randomUUID() });
  expect(notOwn.status).toBe(400);
  expect(notOwn.text).toContain('går bara att rätta en rapport du själv har skickat');
  const corrected = await anonymous().form(path, {
    kind: 'DONE',
    performedOn: today(),
    description: 'Dialogmöte om trygghet i Lagan.',
    participants: '27',
    correctsReportId,
  });
  expect(corrected.status).toBe(200);
  const record = await engine.database.db.activityOccurrence.findUniqueOrThrow({
    where: { id: meeting.id },
    include: { reports: { orderBy: { createdAt: 'asc' } } },
  });
  expect(record).toMatchObject({ status: 'DONE', dueDate: new Date(`${moved}T00:00:00Z`) });
  // The reports name the contact by the id of their address, never by the address.
  const { id: addressId } = await engine.database.db.emailAddress.findUniqueOrThrow({ where: { address: 'trygghet@ljungby.example' } });
  expect(record.reports.map((r) => [r.kind, r.participants, r.correctsId, r.reportedBy])).toEqual([
    ['POSTPONED', null, null, `CONTACT:${addressId}`],
    ['DONE', 25, null, `CONTACT:${addressId}`],
    ['DONE', 27, record.reports[1]!.id, `CONTACT:${addressId}`],
  ]);
  const reportedAgain = await anonymous().form(path, { kind: 'CANCELLED', reason: 'Dubbelt.' });
  expect(reportedAgain.status).toBe(409);

  before = await counts();
  // Malformed and unknown links.
  for (const bad of ['/report/kort', `/report/${'A'.repeat(43)}`, '/report/%3Cscript%3E']) {
    expect((await anonymous().get(bad)).status).toBe(404);
    expect((await anonymous().form(bad, { kind: 'CANCELLED', reason: 'x' })).status).toBe(404);
  }
  // A signing link is not a report link, nor the other way round.
  const signingMail = subjectsStartingWith(engine.mailbox.messages, 'Signera medborgarlöftet')[0]!;
  expect((await anonymous().form(`/report/${signingToken(signingMail)}`, { kind: 'CANCELLED', reason: 'x' })).status).toBe(404);
  expect((await anonymous().get(path.replace('/report/', '/sign/'))).status).toBe(404);
  // An expired link (as if the grace time after the period had passed).
  const other = occurrences.find((o: { commitmentKey: string }) => o.commitmentKey === 'trygghetsvandring');
  const otherPath = await reminderLink(other.id, other.dueDate);
  before = await counts();
  await engine.database.db.accessToken.updateMany({ where: { occurrenceId: other.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
  const expired = await anonymous().form(otherPath, { kind: 'CANCELLED', reason: 'x' });
  expect(expired.status).toBe(410);
  expect(expired.text).toContain('Länken har gått ut');
  expect(await counts()).toEqual(before);
});

test('a report sent again with the same Idempotency-Key, or the same form sent twice, is one report', async () => {
  const occurrences = (await coordinator.get(`/api/promises/${promiseId}/occurrences`)).json;
  type Listed = { status: string; kind: string; commitmentKey: string; dueDate: string | null };
  const viaApi = occurrences.find(
    (o: Listed) => o.status === 'PLANNED' && o.kind === 'ACTIVITY' && o.commitmentKey !== 'trygghetsvandring' && o.dueDate !== null,
  );
  const viaPage = occurrences.find((o: Listed) => o.status === 'PLANNED' && o.kind === 'PROGRESS_REPORT');
  const reportsOf = (occurrenceId: string) => engine.database.db.activityReport.count({ where: { occurrenceId } });

  const postpone = { report: { kind: 'POSTPONED', newDueDate: addDays(today(), 7), reason: 'Lokalen var upptagen.' } };
  const send = () =>
    fetch(`${api.baseUrl}/api/promises/${promiseId}/occurrences/${viaApi.id}/reports`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ownToken}`, 'idempotency-key': 'omforsok-7f3a9c21' },
      body: JSON.stringify(postpone),
    });
  const first = await send();
  const again = await send();
  expect([first.status, again.status]).toEqual([201, 201]);
  expect(await reportsOf(viaApi.id)).toBe(1);

  const path = await reminderLink(viaPage.id, viaPage.dueDate);
  const page = await anonymous().get(path);
  const submissionId = /name="submissionId" value="([0-9a-f-]{36})"/.exec(page.text)![1]!;
  const form = { kind: 'PROGRESS', description: 'Arbetet pågår.', submissionId };
  const once = await anonymous().form(path, form);
  const twice = await anonymous().form(path, form);
  expect([once.status, twice.status]).toEqual([200, 200]);
  expect(await reportsOf(viaPage.id)).toBe(1);
});

test("a date the text leaves open: the coordinator is asked, and sets it on the page behind the request's link", async () => {
  const undated = (await coordinator.get(`/api/promises/${promiseId}/occurrences`)).json.find(
    (o: { dueDate: string | null }) => o.dueDate === null,
  );
  expect(undated).toMatchObject({ commitmentKey: 'dialog-a-traktorer', plannedDueDate: null, status: 'PLANNED' });
  const request = await engine.database.db.emailOutbox.findFirstOrThrow({ where: { promiseId, purpose: 'DATE_TO_BE_SET' } });
  expect(request.recipient).toBe('samordnare@ljungby.example');
  const mail = engine.mailbox.messages.find((m) => m.messageId === request.messageId)!;
  expect(mail.text).toContain('Polisen och kommunen genomför ett dialogmöte med ungdomar med A-traktorer');
  const path = /http:\/\/localhost:3000(\/report\/[A-Za-z0-9_-]{43})/.exec(mail.text)![1]!;

  const page = await anonymous().get(path);
  expect(page.status).toBe(200);
  expect(page.text).toContain('Datumet är inte bestämt än.');
  expect(page.text).toContain('<option value="DATE_SET" selected>');
  expect(page.text).not.toContain('value="POSTPONED"');
  const submissionId = /name="submissionId" value="([0-9a-f-]{36})"/.exec(page.text)![1]!;

  const moved = await anonymous().form(path, { kind: 'POSTPONED', newDueDate: addDays(today(), 10), reason: 'Flyttas.', submissionId });
  expect(moved.status).toBe(400);
  expect(moved.text).toContain('aktiviteten har inget datum än');
  const past = await anonymous().form(path, { kind: 'DATE_SET', newDueDate: addDays(today(), -3), submissionId });
  expect(past.status).toBe(400);
  expect(past.text).toContain('<a href="#newDueDate">Datum</a>: har redan passerat');
  expect(await engine.database.db.activityReport.count({ where: { occurrenceId: undated.id } })).toBe(0);

  const date = addDays(today(), 10);
  const set = await anonymous().form(path, { kind: 'DATE_SET', newDueDate: date, submissionId });
  expect(set.status).toBe(200);
  expect(set.text).toContain(`Aktiviteten är planerad till ${date}.`);
  const after = (await coordinator.get(`/api/promises/${promiseId}/occurrences`)).json.find((o: { id: string }) => o.id === undated.id);
  const { coordinatorId } = await engine.database.db.promiseRecord.findUniqueOrThrow({ where: { id: promiseId } });
  expect(after).toMatchObject({
    dueDate: date,
    plannedDueDate: null,
    status: 'PLANNED',
    reports: [{ kind: 'DATE_SET', newDueDate: date, reportedBy: `COORDINATOR:${coordinatorId}` }],
  });
  // The year's plan shows the date as it stands now, with its reminders.
  const planned = (await coordinator.get(`/api/promises/${promiseId}/schedule`)).json.occurrences.find(
    (o: { commitmentKey: string; sequence: number }) => o.commitmentKey === 'dialog-a-traktorer' && o.sequence === undated.sequence,
  );
  expect(planned).toMatchObject({ dueDate: date, reminders: expect.arrayContaining([expect.objectContaining({ kind: 'DUE' })]) });
  expect(planned.coordinatorAskedEvery).toBeUndefined();
  // Dated now: the page offers what any dated activity offers, and the API refuses a second date.
  expect((await anonymous().get(path)).text).toContain(`Planerad till ${date}.`);
  const again = await coordinator.post(`/api/promises/${promiseId}/occurrences/${undated.id}/reports`, {
    report: { kind: 'DATE_SET', newDueDate: addDays(date, 1) },
  });
  expect(again.status).toBe(400);
  expect(again.json.details).toEqual([
    { field: 'report.kind', problem: `aktiviteten har redan ett datum (${date}); flytta den i stället (POSTPONED) med ett skäl` },
  ]);
});

test('follow-ups cannot be published before the period ends; a renewal launched twice is one draft, signed on its own', async () => {
  expect((await coordinator.get(`/api/promises/${promiseId}/follow-ups`)).json).toEqual([]);
  const early = await coordinator.post(`/api/promises/${promiseId}/follow-ups/1/publish`, { narrative: 'För tidigt.' });
  expect(early).toMatchObject({ status: 409, json: { message: 'Uppföljningsperioden är inte slut än.' } });
  expect((await coordinator.post(`/api/promises/${promiseId}/follow-ups/7/publish`, { narrative: 'x' })).status).toBe(404);
  expect((await coordinator.post(`/api/promises/${promiseId}/follow-ups/1/publish`, {})).json.details).toEqual([
    { field: 'narrative', problem: expect.any(String) },
  ]);

  const first = await coordinator.post(`/api/promises/${promiseId}/renewal`);
  const second = await coordinator.post(`/api/promises/${promiseId}/renewal`);
  expect(first.status).toBe(200);
  expect(second.json.renewalId).toBe(first.json.renewalId);
  const renewal = await coordinator.get(`/api/promises/${first.json.renewalId}`);
  const { period } = (await coordinator.get(`/api/promises/${promiseId}`)).json;
  expect(renewal.json).toMatchObject({ status: 'DRAFT', predecessorId: promiseId, period: { start: addDays(period.end, 1) } });
  const renewalMails = await engine.database.db.emailOutbox.findMany({ where: { promiseId, purpose: 'RENEWAL_CREATED' } });
  expect(renewalMails).toHaveLength(1);

  // The renewal goes through a signing round of its own, in a workflow of its own.
  const submitted = await coordinator.post(`/api/promises/${first.json.renewalId}/submit`);
  expect(submitted).toMatchObject({ status: 200, json: { status: 'SIGNING', roundNumber: 1 } });
  const own = await engine.client.workflow.getHandle(promiseWorkflowId(first.json.renewalId)).describe();
  expect(own.status.name).toBe('RUNNING');
  expect((await coordinator.get(`/api/promises/${promiseId}`)).json.status).toBe('ACTIVE');
});

test('a withdrawal during the year stops its timers and tells the parties', async () => {
  const withdrawn = await coordinator.post(`/api/promises/${promiseId}/withdraw`, { reason: 'Samverkansavtalet sades upp.' });
  expect(withdrawn).toMatchObject({ status: 200, json: { status: 'WITHDRAWN' } });
  // The workflow has ended, so no timer of the year is left to fire.
  const handle = engine.client.workflow.getHandle(promiseWorkflowId(promiseId));
  await eventually(async () => expect((await handle.describe()).status.name).toBe('COMPLETED'));
  expect(await handle.result()).toMatchObject({ status: 'WITHDRAWN', statusReason: 'Samverkansavtalet sades upp.' });
  const signatories = await engine.database.db.signatory.count({ where: { version: { promiseId } } });
  const notices = await engine.database.db.emailOutbox.findMany({ where: { promiseId, purpose: 'WITHDRAWN' } });
  expect(notices).toHaveLength(signatories + 1);
  expect(notices.every((n) => n.status === 'SENT')).toBe(true);

  // The report link says so, and the API refuses the year's actions, changing nothing.
  const before = await counts();
  const page = await anonymous().get(meetingLink);
  expect(page.status).toBe(410);
  expect(page.text).toContain('Löftet är återkallat');
  expect((await anonymous().form(meetingLink, { kind: 'CANCELLED', reason: 'x' })).status).toBe(410);
  const planned = (await coordinator.get(`/api/promises/${promiseId}/occurrences`)).json.find(
    (o: { status: string }) => o.status === 'PLANNED',
  );
  expect(
    (await coordinator.post(`/api/promises/${promiseId}/occurrences/${planned.id}/reports`, { report: { kind: 'CANCELLED', reason: 'x' } }))
      .status,
  ).toBe(409);
  expect((await coordinator.post(`/api/promises/${promiseId}/renewal`)).status).toBe(409);
  expect(await counts()).toEqual(before);
});
