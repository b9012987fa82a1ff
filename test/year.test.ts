import { addDays, isWorkingDay, stockholmHourOn, workingDayOnOrBefore } from '../domain/calendar';
import { swedishCalendarFor } from '../domain/working-days';
import { randomUUID } from 'node:crypto';
import { launchRenewal, publishFollowUp, reportActivity, submitForSigning } from '../api/commands';
import type { Actor } from '../domain/actor';
import { promiseWorkflowId } from '../domain/identifiers';
import { PROMISE_SEARCH_ATTRIBUTES } from '../domain/search-attributes';
import type { ActivityReport } from '../domain/requests';
import { expandSchedule } from '../domain/schedule';
import { contactCalendarPath } from '../domain/icalendar';
import { DEFAULT_SETTINGS } from '../domain/default-settings';
import { startEngine, type Engine } from './support/engine';
import { eventually } from './support/eventually';
import { recordHistory } from './support/histories';
import { createDraftOf, fixture, inComingYear } from './support/promises';
import { signEveryRequest } from './support/signing';

// Ljungby's 2021 promise lived through a whole year on the time-skipping server, moved to the
// coming year (the test server starts at today's date). Some activities are reported on time,
// one late after reminders and escalation, one cancelled (as the pandemic cancelled 2020's);
// a worker is replaced mid-year; a low history limit forces continue-as-new along the way.

const TK = 'trygghet@ljungby.example';
const KP = 'kommunpolis.ljungby@polisen.example';

let engine: Engine;
beforeAll(async () => {
  engine = await startEngine('time-skipping', { replaceableWorkers: true });
  engine.historyLimit = 60;
});
afterAll(async () => {
  await engine?.stop();
});

async function sleepUntil(iso: string) {
  const wait = Date.parse(iso) - (await engine.env.currentTimeMs());
  if (wait > 0) await engine.env.sleep(wait);
}

async function submitAndSign(promiseId: string, actor: Actor) {
  await submitForSigning(engine, promiseId, actor);
  await signEveryRequest(engine, promiseId);
}

async function occurrence(promiseId: string, key: string, sequence = 1) {
  return engine.database.db.activityOccurrence.findFirstOrThrow({ where: { promiseId, sequence, commitment: { key } } });
}

async function report(promiseId: string, actor: Actor, key: string, body: ActivityReport, sequence = 1) {
  const { id } = await occurrence(promiseId, key, sequence);
  return reportActivity(engine, promiseId, { reportId: randomUUID(), occurrenceId: id, report: body, actor });
}

test('Ljungby: a whole year of reminders, reports, a late activity, a cancellation, follow-up and renewal', async () => {
  const content = inComingYear(fixture('ljungby-2021'), await engine.env.currentTimeMs());
  const Y = content.period.start.slice(0, 4);
  const { promise, actor, coordinatorEmail } = await createDraftOf(engine.database.db, content, DEFAULT_SETTINGS);
  await submitAndSign(promise.id, actor);
  const firstRunId = (await engine.client.workflow.getHandle(promiseWorkflowId(promise.id)).describe()).runId;

  // The workflow scheduled exactly what the preview shows: eleven occurrences, the two dialogue
  // meetings one per half-year.
  const occurrences = await engine.database.db.activityOccurrence.findMany({
    where: { promiseId: promise.id },
    include: { commitment: true },
  });
  const scheduled = occurrences.map((o) => ({
    commitmentKey: o.commitment.key,
    sequence: o.sequence,
    dueDate: o.dueDate && o.dueDate.toISOString().slice(0, 10),
    kind: o.kind,
  }));
  const byKeyAndSequence = (a: { commitmentKey: string; sequence: number }, b: typeof a) =>
    a.commitmentKey.localeCompare(b.commitmentKey) || a.sequence - b.sequence;
  const calendar = swedishCalendarFor(content.period);
  expect(scheduled.sort(byKeyAndSequence)).toEqual(expandSchedule(content, { calendar }).sort(byKeyAndSequence));
  expect(scheduled).toHaveLength(11);
  // At the end of each half, on its last working day (New Year's Eve is a day off).
  expect(scheduled.filter((o) => o.commitmentKey === 'dialogmoten').map((o) => o.dueDate)).toEqual([
    workingDayOnOrBefore(calendar, `${Y}-06-30`),
    workingDayOnOrBefore(calendar, `${Y}-12-31`),
  ]);
  expect(isWorkingDay(calendar, `${Y}-12-31`)).toBe(false);
  expect(scheduled.find((o) => o.commitmentKey === 'dialog-a-traktorer')!.dueDate).toBeNull();

  // The text leaves the youth dialogue meeting's date open: the coordinator is asked for it as the
  // promise becomes active, again 14 days later, and sets it to 31 May from the link in the e-mail.
  const dateRequests = () =>
    engine.database.db.emailOutbox.findMany({
      where: { promiseId: promise.id, purpose: { startsWith: 'DATE_TO_BE_SET' } },
      orderBy: { scheduledFor: 'asc' },
    });
  const [firstRequest] = await eventually(async () => {
    const requests = await dateRequests();
    expect(requests).toHaveLength(1);
    return requests;
  });
  await sleepUntil(new Date(firstRequest!.scheduledFor!.getTime() + 15 * 86_400_000).toISOString());
  const requests = await eventually(async () => {
    const found = await dateRequests();
    expect(found).toHaveLength(2);
    return found;
  });
  expect(requests.map((r) => [r.purpose, r.recipient, r.scheduledFor!.getTime() - firstRequest!.scheduledFor!.getTime()])).toEqual([
    ['DATE_TO_BE_SET', coordinatorEmail, 0],
    ['DATE_TO_BE_SET_REMINDER', coordinatorEmail, 14 * 86_400_000],
  ]);
  const asked = engine.mailbox.messages.find((m) => m.messageId === requests[0]!.messageId)!;
  expect(asked.subject).toBe(
    'Bestäm datum: Polisen och kommunen genomför ett dialogmöte med ungdomar med A-traktorer samt deras vårdnadshavare.',
  );
  expect(asked.text).toMatch(/Sätt datumet här: http:\/\/localhost:3000\/report\/[A-Za-z0-9_-]{43}/);
  await expect(
    report(promise.id, actor, 'dialog-a-traktorer', { kind: 'POSTPONED', newDueDate: `${Y}-05-31`, reason: 'Flyttas.' }),
  ).rejects.toMatchObject({ cause: { type: 'VALIDATION', message: expect.stringMatching(/inget datum än/) } });
  await report(promise.id, actor, 'dialog-a-traktorer', { kind: 'DATE_SET', newDueDate: `${Y}-05-31` });
  await expect(report(promise.id, actor, 'dialog-a-traktorer', { kind: 'DATE_SET', newDueDate: `${Y}-06-15` })).rejects.toMatchObject({
    cause: { type: 'VALIDATION', message: expect.stringMatching(/har redan ett datum/) },
  });

  // Spring: the pandemic cancels the neighbourhood-watch meeting before any reminder; the youth
  // dialogue meeting is reported on time after its first reminder.
  await sleepUntil(`${Y}-05-20T12:00:00Z`);
  await report(promise.id, actor, 'grannsamverkan', { kind: 'CANCELLED', reason: 'Inställt på grund av pandemin.' });
  await report(promise.id, actor, 'dialog-a-traktorer', {
    kind: 'DONE',
    performedOn: `${Y}-05-19`,
    description: 'Dialogmöte på Ljungby Arena med 30 ungdomar och vårdnadshavare.',
    participants: 42,
    hours: 3,
  });

  // Midsummer: the half-year progress reports come in.
  await sleepUntil(`${Y}-06-20T12:00:00Z`);
  for (const key of ['a-traktorer', 'narkotika', 'klotter']) {
    await report(promise.id, actor, key, { kind: 'PROGRESS', description: 'Insatserna pågår enligt plan.' });
  }

  // On 1 July the worker is shut down and a new one takes over. (The time-skipping server does not
  // move time while a task waits for a worker, so the hand-over takes no simulated time.)
  await sleepUntil(`${Y}-07-01T12:00:00Z`);
  await engine.stopWorker();
  await engine.startWorker();

  // The first dialogue meeting is reported late: after two overdue reminders and the escalation.
  await sleepUntil(`${Y}-07-16T12:00:00Z`);
  await report(promise.id, actor, 'dialogmoten', {
    kind: 'DONE',
    performedOn: `${Y}-07-16`,
    description: 'Dialogmöte om trygghet i Lagan.',
    participants: 25,
  });

  // December: the last reports of the year, after the 14-day reminders.
  await sleepUntil(`${Y}-12-20T12:00:00Z`);
  await report(
    promise.id,
    actor,
    'dialogmoten',
    { kind: 'DONE', performedOn: `${Y}-12-15`, description: 'Andra dialogmötet, digitalt.' },
    2,
  );
  await report(promise.id, actor, 'trygghetsvandring', {
    kind: 'DONE',
    performedOn: `${Y}-12-10`,
    description: 'Trygghetsvandring i centrum.',
  });
  for (const key of ['a-traktorer', 'narkotika', 'klotter']) {
    await report(promise.id, actor, key, { kind: 'PROGRESS', description: 'Årets insatser är genomförda.' }, 2);
  }

  // New Year: the follow-up is drafted; a week later the coordinator is reminded; then it is published.
  await sleepUntil(`${Number(Y) + 1}-01-08T12:00:00Z`);
  await eventually(async () =>
    expect((await engine.database.db.promiseRecord.findUniqueOrThrow({ where: { id: promise.id } })).status).toBe('FOLLOW_UP'),
  );
  const draft = await engine.database.db.followUpReport.findUniqueOrThrow({
    where: { promiseId_periodIndex: { promiseId: promise.id, periodIndex: 1 } },
  });
  const generated = draft.generated as {
    commitments: { key: string; planned: number; done: number; notReported: number; cancelled: { reason: string }[] }[];
  };
  const row = (key: string) => generated.commitments.find((c) => c.key === key)!;
  expect(row('dialogmoten')).toMatchObject({ planned: 2, done: 2, notReported: 0, cancelled: [] });
  expect(row('grannsamverkan')).toMatchObject({
    planned: 1,
    done: 0,
    notReported: 0,
    cancelled: [{ reason: 'Inställt på grund av pandemin.' }],
  });
  expect(row('a-traktorer')).toMatchObject({ planned: 2, done: 2 });
  await publishFollowUp(engine, promise.id, {
    index: 1,
    narrative: 'Nästan allt genomfördes; grannsamverkansmötet ställdes in.',
    safetySurvey: 'Andelen som känner sig trygga ökade något.',
    actor,
  });
  const final = await engine.client.workflow.getHandle(promiseWorkflowId(promise.id)).result();
  expect(final.status).toBe('CLOSED');

  // Continue-as-new happened along the way, and the year still came out whole; the last run is
  // still listed by whose promise it was, and as closed.
  const last = await engine.client.workflow.getHandle(promiseWorkflowId(promise.id)).describe();
  expect(last.runId).not.toBe(firstRunId);
  const keys = PROMISE_SEARCH_ATTRIBUTES;
  expect([keys.status, keys.municipality, keys.needsAttention].map((key) => last.typedSearchAttributes.get(key))).toEqual([
    'CLOSED',
    'Ljungby',
    false,
  ]);
  const finalOccurrences = await engine.database.db.activityOccurrence.findMany({
    where: { promiseId: promise.id },
    include: { commitment: true, reports: true },
  });
  expect(finalOccurrences.filter((o) => o.status === 'CANCELLED').map((o) => o.commitment.key)).toEqual(['grannsamverkan']);
  expect(finalOccurrences.filter((o) => o.status === 'DONE')).toHaveLength(10);
  // One report each; the youth dialogue meeting's date set, then done.
  expect(
    finalOccurrences.filter((o) => o.reports.length !== 1).map((o) => [o.commitment.key, o.reports.map((r) => r.kind).sort()]),
  ).toEqual([['dialog-a-traktorer', ['DATE_SET', 'DONE']]]);
  // No more requests for the date once it was set.
  expect(await dateRequests()).toHaveLength(2);
  expect((await engine.database.db.followUpReport.findUniqueOrThrow({ where: { id: draft.id } })).status).toBe('PUBLISHED');

  // Every e-mail of the year, exactly: who, what, and when in simulated time.
  const sent = await eventually(async () => {
    const rows = await engine.database.db.emailOutbox.findMany({
      where: { promiseId: promise.id, scheduledFor: { not: null }, NOT: { purpose: { startsWith: 'DATE_TO_BE_SET' } } },
    });
    expect(rows.every((r) => r.status === 'SENT' && r.attempts === 1)).toBe(true);
    return rows.map((r) => `${r.scheduledFor!.toISOString().slice(0, 16)} ${r.purpose} ${r.recipient}`).sort();
  });
  // Reminders go at 08:00 in Sweden on working days, a day off moving one to the working day before;
  // a date the product works out is the last working day of its part, a date typed in stays.
  const computed = (monthDay: string) => workingDayOnOrBefore(calendar, `${Y}-${monthDay}`);
  const reminder = (due: string, days: number) =>
    new Date(stockholmHourOn(workingDayOnOrBefore(calendar, addDays(due, days)), 8)).toISOString().slice(0, 16);
  const at = (date: string, time: string) => `${Y}-${date}T${time}`;
  expect(sent).toEqual(
    [
      `${reminder(`${Y}-05-31`, -14)} ACTIVITY_BEFORE ${KP}`, // youth dialogue meeting, set to 31 May
      `${reminder(computed('06-30'), -14)} ACTIVITY_BEFORE ${KP}`, // A-traktorer, half-year report
      `${reminder(computed('06-30'), -14)} ACTIVITY_BEFORE ${KP}`, // narcotics, half-year report
      `${reminder(computed('06-30'), -14)} ACTIVITY_BEFORE ${TK}`, // graffiti, half-year report
      `${reminder(computed('06-30'), -14)} ACTIVITY_BEFORE ${TK}`, // first dialogue meeting, at the end of the first half-year
      `${reminder(computed('06-30'), 0)} ACTIVITY_DUE ${TK}`,
      `${reminder(computed('06-30'), 7)} ACTIVITY_OVERDUE ${TK}`, // sent by the new worker, once
      `${reminder(computed('06-30'), 14)} ACTIVITY_ESCALATION ${coordinatorEmail}`,
      `${reminder(computed('06-30'), 14)} ACTIVITY_OVERDUE ${TK}`,
      `${at('11-02', '00:00')} RENEWAL_CREATED ${coordinatorEmail}`, // 60 days before the end
      `${reminder(computed('12-31'), -14)} ACTIVITY_BEFORE ${KP}`,
      `${reminder(computed('12-31'), -14)} ACTIVITY_BEFORE ${KP}`,
      `${reminder(computed('12-31'), -14)} ACTIVITY_BEFORE ${TK}`,
      `${reminder(computed('12-31'), -14)} ACTIVITY_BEFORE ${TK}`,
      `${reminder(computed('12-31'), -14)} ACTIVITY_BEFORE ${TK}`,
      `${Number(Y) + 1}-01-01T00:00 FOLLOW_UP_DUE ${coordinatorEmail}`,
      `${Number(Y) + 1}-01-08T00:00 FOLLOW_UP_REMINDER ${coordinatorEmail}`,
    ].sort(),
  );
  // Dated reminders carry a calendar invite and a personal report link.
  const before = engine.mailbox.messages.find((m) => m.to.includes(TK) && m.subject.startsWith('Aktivitet snart'))!;
  expect(before.attachments[0]).toMatchObject({
    filename: 'aktivitet.ics',
    content: expect.stringContaining(`DTSTART;VALUE=DATE:${computed('06-30').replace(/-/g, '')}`),
  });
  expect(before.text).toMatch(/\/report\/[A-Za-z0-9_-]{43}/);
  // The invite is the event the contact's calendar link gives (one UID), and blocks no one's day.
  expect(before.attachments[0]!.content).toContain('TRANSP:TRANSPARENT');
  expect(before.text).toContain(contactCalendarPath(engine.activityDeps.linkSecret, promise.id, TK));

  // The renewal: next year's draft, linked to this one, with unfinished work flagged at the time.
  const renewal = await engine.database.db.promiseRecord.findUniqueOrThrow({ where: { predecessorId: promise.id } });
  expect(renewal).toMatchObject({ status: 'DRAFT', title: `Medborgarlöfte i Ljungby kommun ${Number(Y) + 1}` });
  expect(renewal.periodStart.toISOString().slice(0, 10)).toBe(`${Number(Y) + 1}-01-01`);
  const flagged = await engine.database.db.commitment.findMany({
    where: { version: { promiseId: renewal.id }, carriedOverFromId: { not: null } },
    orderBy: { key: 'asc' },
  });
  expect(flagged.map((c) => c.key)).toEqual(['a-traktorer', 'dialogmoten', 'grannsamverkan', 'klotter', 'narkotika', 'trygghetsvandring']);

  await recordHistory(engine, promiseWorkflowId(promise.id), 'promise-year-ljungby-first-run', firstRunId);
  await recordHistory(engine, promiseWorkflowId(promise.id), 'promise-year-ljungby-final-run');
});

test('Åstorp 2023–2025: yearly follow-ups, a final one, no automatic renewal; a renewal launched twice is one', async () => {
  const content = inComingYear(fixture('astorp-2023-2025'), await engine.env.currentTimeMs());
  const start = Number(content.period.start.slice(0, 4));
  const { promise, actor, coordinatorEmail } = await createDraftOf(engine.database.db, content, DEFAULT_SETTINGS);
  await submitAndSign(promise.id, actor);

  // First follow-up year ends on 5 March the year after the start: drafted, published, still ACTIVE.
  await sleepUntil(`${start + 1}-03-06T12:00:00Z`);
  await eventually(async () => expect(await engine.database.db.followUpReport.count({ where: { promiseId: promise.id } })).toBe(1));
  await publishFollowUp(engine, promise.id, { index: 1, narrative: 'År 1.', actor });
  expect((await engine.database.db.promiseRecord.findUniqueOrThrow({ where: { id: promise.id } })).status).toBe('ACTIVE');

  // A renewal launched by hand, twice, gives one successor.
  const first = await launchRenewal(engine, promise.id, actor);
  const second = await launchRenewal(engine, promise.id, actor);
  expect(second.renewalId).toBe(first.renewalId);
  expect(await engine.database.db.promiseRecord.count({ where: { predecessorId: promise.id } })).toBe(1);

  await sleepUntil(`${start + 2}-03-06T12:00:00Z`);
  await eventually(async () => expect(await engine.database.db.followUpReport.count({ where: { promiseId: promise.id } })).toBe(2));
  await publishFollowUp(engine, promise.id, { index: 2, narrative: 'År 2.', actor });

  // The end of the period: the final follow-up; publishing it closes the promise.
  await sleepUntil(`${start + 3}-01-01T12:00:00Z`);
  await eventually(async () => {
    const reports = await engine.database.db.followUpReport.findMany({ where: { promiseId: promise.id }, orderBy: { periodIndex: 'asc' } });
    expect(reports.map((r) => [r.periodIndex, r.final, r.periodEnd.toISOString().slice(0, 10)])).toEqual([
      [1, false, `${start + 1}-03-05`],
      [2, false, `${start + 2}-03-05`],
      [3, true, `${start + 2}-12-31`],
    ]);
  });
  // The situation report's date, which the text leaves open, was never set: it counts in the final
  // follow-up only, said as such. The coordinator was asked for it four times, 14 days apart, then
  // told once that it was the last time, and then left alone (the start page still shows it).
  const generated = (index: number) =>
    engine.database.db.followUpReport
      .findUniqueOrThrow({ where: { promiseId_periodIndex: { promiseId: promise.id, periodIndex: index } } })
      .then((r) =>
        (r.generated as { commitments: { key: string; planned: number; dateNeverSet: number; schedule: string }[] }).commitments.find(
          (c) => c.key === 'lagesbild',
        ),
      );
  expect(await generated(1)).toMatchObject({ planned: 0, dateNeverSet: 0 });
  expect(await generated(3)).toMatchObject({ planned: 1, dateNeverSet: 1, schedule: 'en gång, datum bestäms senare' });
  const requests = await engine.database.db.emailOutbox.findMany({
    where: { promiseId: promise.id, purpose: { startsWith: 'DATE_TO_BE_SET' } },
    orderBy: { scheduledFor: 'asc' },
  });
  const gaps = requests.slice(1).map((r, i) => r.scheduledFor!.getTime() - requests[i]!.scheduledFor!.getTime());
  expect(new Set(gaps)).toEqual(new Set([14 * 86_400_000]));
  expect(requests.map((r) => r.purpose)).toEqual([
    'DATE_TO_BE_SET',
    'DATE_TO_BE_SET_REMINDER',
    'DATE_TO_BE_SET_REMINDER',
    'DATE_TO_BE_SET_REMINDER',
    'DATE_TO_BE_SET_LAST',
  ]);
  await publishFollowUp(engine, promise.id, { index: 3, narrative: 'Slutuppföljning.', actor });
  expect((await engine.client.workflow.getHandle(promiseWorkflowId(promise.id)).result()).status).toBe('CLOSED');

  const renewalMails = await engine.database.db.emailOutbox.count({ where: { promiseId: promise.id, purpose: 'RENEWAL_CREATED' } });
  expect(renewalMails).toBe(1);
  const followUpMails = await engine.database.db.emailOutbox.findMany({ where: { promiseId: promise.id, purpose: 'FOLLOW_UP_DUE' } });
  expect(followUpMails.map((m) => m.recipient)).toEqual([coordinatorEmail, coordinatorEmail, coordinatorEmail]);
  await recordHistory(engine, promiseWorkflowId(promise.id), 'promise-year-astorp-final-run');
});

test('meetings that start once a group is formed: planned when the forming gets its date, from the day after, and reminded', async () => {
  const content = inComingYear(fixture('ljungby-2021'), await engine.env.currentTimeMs());
  const Y = content.period.start.slice(0, 4);
  const meetings = content.priorityAreas[0]!.commitments[0]!;
  meetings.shape = {
    kind: 'STEPS',
    steps: [
      { kind: 'ONE_OFF', dateToBeSet: { when: 'när gruppen bildas' } },
      { kind: 'CONTINUOUS', reportEvery: 'QUARTER' },
    ],
  };
  const { promise, actor } = await createDraftOf(engine.database.db, content, DEFAULT_SETTINGS);
  await submitAndSign(promise.id, actor);
  const rows = () =>
    engine.database.db.activityOccurrence.findMany({
      where: { promiseId: promise.id, commitment: { key: meetings.key } },
      orderBy: { sequence: 'asc' },
    });
  // At signing only the forming, numbered first; the meetings wait for its date.
  expect((await rows()).map((o) => [o.sequence, o.step, o.dueDate])).toEqual([[1, 1, null]]);

  await report(promise.id, actor, meetings.key, { kind: 'DATE_SET', newDueDate: `${Y}-02-10` });
  const calendar = swedishCalendarFor(content.period);
  const planned = await rows();
  expect(planned.map((o) => [o.sequence, o.step, o.kind, o.dueDate && o.dueDate.toISOString().slice(0, 10)])).toEqual([
    [1, 1, 'ACTIVITY', `${Y}-02-10`],
    [2, 2, 'PROGRESS_REPORT', workingDayOnOrBefore(calendar, `${Y}-05-10`)],
    [3, 2, 'PROGRESS_REPORT', workingDayOnOrBefore(calendar, `${Y}-08-10`)],
    [4, 2, 'PROGRESS_REPORT', workingDayOnOrBefore(calendar, `${Y}-11-10`)],
    [5, 2, 'PROGRESS_REPORT', workingDayOnOrBefore(calendar, `${Y}-12-31`)],
  ]);
  // A report that moves the forming later plans nothing twice.
  await report(promise.id, actor, meetings.key, { kind: 'POSTPONED', newDueDate: `${Y}-02-20`, reason: 'Flyttas.' });
  expect(await engine.database.db.activityOccurrence.count({ where: { commitmentId: planned[0]!.commitmentId } })).toBe(5);

  // The first meeting's report is asked for on its day, like any other occurrence's.
  const first = planned[1]!;
  await sleepUntil(new Date(stockholmHourOn(first.dueDate!.toISOString().slice(0, 10), 8) + 3_600_000).toISOString());
  await eventually(async () => {
    const due = await engine.database.db.emailOutbox.findMany({ where: { promiseId: promise.id, purpose: 'ACTIVITY_DUE' } });
    expect(due.some((m) => m.idempotencyKey.startsWith(`occurrence:${first.id}:`))).toBe(true);
  });
  await recordHistory(engine, promiseWorkflowId(promise.id), 'promise-steps-planned-on-date');
});
