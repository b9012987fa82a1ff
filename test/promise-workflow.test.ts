import { randomUUID } from 'node:crypto';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, DefaultLogger, Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import {
  decide,
  launchRenewal,
  moveDeadline,
  reportActivity,
  resume,
  reviseDuringSigning,
  submitForSigning,
  withdraw,
  type EngineClient,
} from '../api/commands';
import type { Actor } from '../domain/actor';
import { addDays, reminderTime, toIsoDate } from '../domain/calendar';
import { promiseWorkflowId, signingRoundWorkflowId } from '../domain/identifiers';
import { DEFAULT_SETTINGS } from '../domain/default-settings';
import { emailBouncedSignal, promiseStateQuery, signingRoundStateQuery } from '../workflows/messages';
import { listedWorkflows, startDevServer } from './support/temporal-servers';
import { eventually } from './support/eventually';
import { fakeActivities, gate, yearOf, type FakeActivities } from './support/fake-activities';
import { recordHistory } from './support/histories';
import { inComingYear, lessebo } from './support/promises';

// The promise's workflow against interleavings that only a forced delay shows: the real workflow
// code on the dev server, with stand-in activities that the test can hold.

let env: TestWorkflowEnvironment;
let bundle: WorkflowBundleWithSourceMap;
const actor: Actor = { kind: 'COORDINATOR', id: 'samordnare' };
const running: Promise<void>[] = [];
const workers: Worker[] = [];

beforeAll(async () => {
  env = await startDevServer();
  bundle = await bundleWorkflowCode({ workflowsPath: require.resolve('../workflows'), logger: new DefaultLogger('WARN') });
});
afterAll(async () => {
  workers.forEach((w) => w.shutdown());
  await Promise.all(running);
  await env?.teardown();
});

/** A worker of its own with these activities, and the engine client the API would use. */
async function engineWith(activities: FakeActivities, historyLimit?: number): Promise<EngineClient> {
  const taskQueue = `wf-${randomUUID()}`;
  const worker = await Worker.create({ connection: env.nativeConnection, taskQueue, workflowBundle: bundle, activities });
  workers.push(worker);
  running.push(worker.run());
  return { client: env.client, taskQueue, historyLimit };
}

const state = (engine: EngineClient, promiseId: string) =>
  engine.client.workflow.getHandle(promiseWorkflowId(promiseId)).query(promiseStateQuery);
/** Signs as a signatory would: once the request for the round has gone out. */
async function sign(engine: EngineClient, promiseId: string, round = 1) {
  const roundState = () => engine.client.workflow.getHandle(signingRoundWorkflowId(promiseId, round)).query(signingRoundStateQuery);
  await eventually(async () => expect((await roundState()).openGroups).toEqual([1]));
  return decide(engine, signingRoundWorkflowId(promiseId, round), {
    signingRequestId: `request-${round}`,
    decision: 'SIGN',
    documentSha256: '1'.repeat(64),
    actor: { kind: 'SIGNATORY', id: 'anna' },
  });
}

/** A "remind before" that puts the first reminder `seconds` after the year is planned. */
const secondsBeforeDueFromNow = (dueDate: string, seconds: number) => Math.floor((reminderTime(dueDate) - Date.now()) / 1000) - seconds;

async function rejection(call: Promise<unknown>): Promise<ApplicationFailure> {
  const error = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof WorkflowUpdateFailedError) || !(error.cause instanceof ApplicationFailure))
    throw new Error(`väntade ett nej, fick ${String(error)}`);
  return error.cause;
}

/** Submits and signs: the promise is ACTIVE and its year scheduled. */
async function activePromise(engine: EngineClient, activities: FakeActivities): Promise<string> {
  const promiseId = randomUUID();
  await submitForSigning(engine, promiseId, actor);
  await sign(engine, promiseId);
  await eventually(async () => expect(activities.calls.some((c) => c.name === 'scheduleOccurrences')).toBe(true));
  await eventually(async () => expect((await state(engine, promiseId)).status).toBe('ACTIVE'));
  return promiseId;
}

/** Submits and signs, and holds the round's close: returns once the workflow is closing the round. */
async function signedWithTheCloseHeld() {
  const closing = gate();
  const activities = fakeActivities({ closeSigningRound: () => closing.pass() });
  const engine = await engineWith(activities);
  const promiseId = randomUUID();
  await submitForSigning(engine, promiseId, actor);
  await sign(engine, promiseId);
  await closing.reached;
  return { closing, activities, engine, promiseId };
}

test('a revision that arrives while an all-signed round is being closed is refused: ACTIVE on the signed version', async () => {
  const { closing, activities, engine, promiseId } = await signedWithTheCloseHeld();

  const refused = await rejection(reviseDuringSigning(engine, promiseId, actor, inComingYear(lessebo())));
  expect(refused.type).toBe('INVALID_STATE');
  expect(refused.message).toContain('Signeringsomgången har just avslutats');
  closing.open();

  await eventually(async () => expect(await state(engine, promiseId)).toMatchObject({ status: 'ACTIVE', versionNumber: 1 }));
  expect(activities.calls.filter((c) => c.name === 'appendRevision')).toHaveLength(0);
  // The year is planned from the signed text.
  await eventually(async () => expect(activities.calls.filter((c) => c.name === 'scheduleOccurrences')).toHaveLength(1));
});

test('a deadline move still being recorded when the old deadline falls due: the round goes on to the new one', async () => {
  const recording = gate();
  const shortRound = { ...DEFAULT_SETTINGS.signing, deadline: '6s' };
  const activities = fakeActivities({
    beginSigningRound: async (input: { promiseId: string; roundNumber: number }) => ({
      roundId: 'round-1',
      roundNumber: input.roundNumber,
      workflowId: signingRoundWorkflowId(input.promiseId, input.roundNumber),
      versionNumber: 1,
      documentSha256: '1'.repeat(64),
      settings: shortRound,
      requests: [{ requestId: 'request-1', signatoryName: 'Anna Andersson', group: 1 }],
      decided: {},
    }),
    moveSigningDeadline: () => recording.pass(),
  });
  const engine = await engineWith(activities);
  const promiseId = randomUUID();
  await submitForSigning(engine, promiseId, actor);
  const round = engine.client.workflow.getHandle(signingRoundWorkflowId(promiseId, 1));
  await eventually(async () => expect((await round.query(signingRoundStateQuery)).openGroups).toEqual([1]));
  const { deadline: old } = await round.query(signingRoundStateQuery);

  const later = old! + 2 * 86_400_000;
  const moving = moveDeadline(engine, round.workflowId, { deadline: later, actor });
  await recording.reached;
  // One move at a time, and never to an earlier time.
  expect(await rejection(moveDeadline(engine, round.workflowId, { deadline: later + 1, actor }))).toMatchObject({ type: 'BUSY' });
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, old! - Date.now()) + 1_500));
  recording.open();
  await expect(moving).resolves.toEqual({ deadline: later });

  expect((await round.query(signingRoundStateQuery)).deadline).toBe(later);
  expect(activities.calls.filter((c) => c.name === 'closeSigningRound')).toEqual([]);
  expect(await rejection(moveDeadline(engine, round.workflowId, { deadline: old! + 1, actor }))).toMatchObject({ type: 'VALIDATION' });
  // The one who had not answered hears of the new day, and can still sign.
  await eventually(async () =>
    expect(activities.calls.filter((c) => c.name === 'sendSigningEmail').map((c) => (c.input as { kind: string }).kind)).toEqual([
      'REQUEST',
      'DEADLINE_MOVED',
    ]),
  );
  await sign(engine, promiseId);
  await eventually(async () => expect((await state(engine, promiseId)).status).toBe('ACTIVE'));
});

test('a revision with a period that has ended is refused at once; the round goes on', async () => {
  const activities = fakeActivities();
  const engine = await engineWith(activities);
  const promiseId = randomUUID();
  await submitForSigning(engine, promiseId, actor);
  const refused = await rejection(reviseDuringSigning(engine, promiseId, actor, lessebo()));
  expect(refused).toMatchObject({ type: 'INVALID_STATE', message: expect.stringContaining('2020-12-31 har redan tagit slut') });
  await sign(engine, promiseId);
  await eventually(async () => expect((await state(engine, promiseId)).status).toBe('ACTIVE'));
});

test('a postponement while the old date’s reminder goes out still gets the first reminder for the new date', async () => {
  const sending = gate();
  const dueDate = toIsoDate(Date.now() + 2 * 86_400_000);
  let remindBeforeSeconds = 0;
  let reminders = 0;
  const activities = fakeActivities({
    scheduleOccurrences: async () => {
      remindBeforeSeconds = secondsBeforeDueFromNow(dueDate, 3);
      return yearOf({ ...DEFAULT_SETTINGS.activities, remindBefore: `${remindBeforeSeconds}s` }, dueDate);
    },
    sendOccurrenceReminder: async () => {
      if (reminders++ === 0) await sending.pass();
      return 'SENT';
    },
  });
  const engine = await engineWith(activities);
  const promiseId = await activePromise(engine, activities);
  expect((await state(engine, promiseId)).next?.what).toBe(`BEFORE:0 dialogmoten ${dueDate}`);

  await sending.reached;
  const newDueDate = addDays(dueDate, 10);
  await reportActivity(engine, promiseId, {
    reportId: randomUUID(),
    occurrenceId: 'occurrence-1',
    report: { kind: 'POSTPONED', newDueDate, reason: 'Lokalen var upptagen.' },
    actor,
  });
  sending.open();
  await eventually(async () => expect(activities.calls.filter((c) => c.name === 'sendOccurrenceReminder')).toHaveLength(1));
  // Not the due-date reminder: the "before" reminder for the new date is still to come.
  expect((await state(engine, promiseId)).next).toEqual({
    what: `BEFORE:0 dialogmoten ${newDueDate}`,
    at: new Date(reminderTime(newDueDate) - remindBeforeSeconds * 1000).toISOString(),
  });
});

test('a date set while the coordinator is being asked for it: the asking stops, and the contacts are reminded for the date', async () => {
  const asking = gate();
  const today = toIsoDate(Date.now());
  const activities = fakeActivities({
    scheduleOccurrences: async () => yearOf(DEFAULT_SETTINGS.activities, null, today),
    askForDate: async () => {
      await asking.pass();
    },
  });
  const engine = await engineWith(activities);
  const promiseId = await activePromise(engine, activities);

  await asking.reached;
  const date = addDays(today, 30);
  await reportActivity(engine, promiseId, {
    reportId: randomUUID(),
    occurrenceId: 'occurrence-1',
    report: { kind: 'DATE_SET', newDueDate: date },
    actor,
  });
  asking.open();
  await eventually(async () =>
    expect((await state(engine, promiseId)).next).toEqual({
      what: `BEFORE:0 dialogmoten ${date}`,
      at: new Date(reminderTime(date) - 14 * 86_400_000).toISOString(),
    }),
  );
  expect(activities.calls.filter((c) => c.name === 'askForDate').map((c) => c.input)).toEqual([
    { occurrenceId: 'occurrence-1', sequence: 0, last: false, scheduledFor: expect.any(Number) },
  ]);
  // A second date for it is refused now that it has one.
  const refused = await rejection(
    reportActivity(engine, promiseId, {
      reportId: randomUUID(),
      occurrenceId: 'occurrence-1',
      report: { kind: 'DATE_SET', newDueDate: addDays(date, 1) },
      actor,
    }),
  );
  expect(refused).toMatchObject({ type: 'VALIDATION', message: expect.stringContaining('har redan ett datum') });
});

test('reports alone make the workflow continue as new before its history grows long', async () => {
  const activities = fakeActivities();
  const engine = await engineWith(activities, 60);
  const promiseId = await activePromise(engine, activities);
  const handle = engine.client.workflow.getHandle(promiseWorkflowId(promiseId));
  const firstRun = (await handle.describe()).runId;
  const first = randomUUID();
  await reportActivity(engine, promiseId, {
    reportId: first,
    occurrenceId: 'occurrence-1',
    report: { kind: 'DONE', performedOn: toIsoDate(Date.now()), description: 'Genomfört.' },
    actor,
  });
  for (let i = 0; i < 15; i++) {
    await reportActivity(engine, promiseId, {
      reportId: randomUUID(),
      occurrenceId: 'occurrence-1',
      correctsReportId: first,
      report: { kind: 'DONE', performedOn: toIsoDate(Date.now()), description: `Rättelse ${i + 1}.` },
      actor,
    });
  }
  await eventually(async () => expect((await handle.describe()).runId).not.toBe(firstRun));
  expect(activities.calls.filter((c) => c.name === 'recordActivityReport')).toHaveLength(16);
  expect(await state(engine, promiseId)).toMatchObject({ status: 'ACTIVE', phase: 'YEAR' });
  // The new run takes commands as the old one did.
  expect(await launchRenewal(engine, promiseId, actor)).toEqual({ renewalId: 'renewal' });
  await recordHistory(engine, promiseWorkflowId(promiseId), 'promise-handed-over-by-reports', firstRun);
});

test('a bounce told while an all-signed round is being closed is applied; the promise still becomes ACTIVE', async () => {
  const { closing, activities, engine, promiseId } = await signedWithTheCloseHeld();

  await engine.client.workflow.getHandle(promiseWorkflowId(promiseId)).signal(emailBouncedSignal, { noticeId: 'notice-1' });
  await eventually(async () => expect(activities.calls.filter((c) => c.name === 'applyBounce')).toHaveLength(1));
  expect(activities.calls.find((c) => c.name === 'applyBounce')?.input).toEqual({ noticeId: 'notice-1' });
  closing.open();
  await eventually(async () => expect(await state(engine, promiseId)).toMatchObject({ status: 'ACTIVE', versionNumber: 1 }));
});

test('a bounce held in its activity when the year would continue as new: the hand-over waits for it, and it is applied once', async () => {
  const applying = gate();
  const activities = fakeActivities({ applyBounce: () => applying.pass().then(() => 'UNDELIVERABLE') });
  const engine = await engineWith(activities, 60);
  const promiseId = await activePromise(engine, activities);
  const handle = engine.client.workflow.getHandle(promiseWorkflowId(promiseId));
  const firstRun = (await handle.describe()).runId;
  await handle.signal(emailBouncedSignal, { noticeId: 'notice-1' });
  await applying.reached;
  // Reports until the history passes its limit: the run then hands over, and takes no more meanwhile.
  for (let i = 1; ; i++) {
    const report = reportActivity(engine, promiseId, {
      reportId: randomUUID(),
      occurrenceId: 'occurrence-1',
      report: { kind: 'DONE', performedOn: toIsoDate(Date.now()), description: `Rapport ${i}.` },
      actor,
    });
    const refused = await report.then(
      () => undefined,
      (error: unknown) => error,
    );
    if (refused) {
      expect(refused).toBeInstanceOf(WorkflowUpdateFailedError);
      break;
    }
    expect(i).toBeLessThan(40);
  }
  // It waits for the bounce's handler before it continues as new.
  expect(await state(engine, promiseId)).toMatchObject({ phase: 'HANDING_OVER' });
  expect((await handle.describe()).runId).toBe(firstRun);
  applying.open();
  await eventually(async () => expect((await handle.describe()).runId).not.toBe(firstRun));
  expect(activities.calls.filter((c) => c.name === 'applyBounce')).toHaveLength(1);
  expect(await state(engine, promiseId)).toMatchObject({ status: 'ACTIVE', phase: 'YEAR' });
});

test('a withdrawal while the year waits for a handler before continuing as new completes; nothing deadlocks', async () => {
  const reporting = gate();
  const dueDate = toIsoDate(Date.now() + 2 * 86_400_000);
  const activities = fakeActivities({
    scheduleOccurrences: async () =>
      yearOf({ ...DEFAULT_SETTINGS.activities, remindBefore: `${secondsBeforeDueFromNow(dueDate, 4)}s` }, dueDate),
    recordActivityReport: () => reporting.pass(),
  });
  // A limit the history passes at the first reminder, so the loop wants to hand over right then.
  const engine = await engineWith(activities, 20);
  const promiseId = await activePromise(engine, activities);
  const report = reportActivity(engine, promiseId, {
    reportId: randomUUID(),
    occurrenceId: 'occurrence-1',
    report: { kind: 'CANCELLED', reason: 'Inställt.' },
    actor,
  });
  await reporting.reached;
  // The first reminder goes out while the report is held: then the loop waits to hand over.
  await eventually(async () => expect(activities.calls.some((c) => c.name === 'sendOccurrenceReminder')).toBe(true), 10_000);

  const withdrawn = withdraw(engine, promiseId, actor, 'Ersätts av ett länsgemensamt löfte.');
  await eventually(async () => expect(activities.calls.some((c) => c.name === 'notifyWithdrawal')).toBe(true));
  reporting.open();
  await expect(withdrawn).resolves.toEqual({ status: 'WITHDRAWN' });
  await report;
  const result = await engine.client.workflow.getHandle(promiseWorkflowId(promiseId)).result();
  expect(result).toMatchObject({ status: 'WITHDRAWN', phase: 'ENDED' });
  await recordHistory(engine, promiseWorkflowId(promiseId), 'promise-withdrawn-while-handing-over');
});

test('a step that fails for good shows that the promise needs attention; a resume tries it again', async () => {
  let failures = 1;
  const activities = fakeActivities({
    scheduleOccurrences: async () => {
      if (failures-- > 0) throw ApplicationFailure.nonRetryable('Databasen tog inte emot uppgifterna.', 'INVALID_DATA');
      return yearOf(DEFAULT_SETTINGS.activities, toIsoDate(Date.now() + 60 * 86_400_000));
    },
  });
  const engine = await engineWith(activities);
  const promiseId = randomUUID();
  await submitForSigning(engine, promiseId, actor);
  await sign(engine, promiseId);
  const stuck = await eventually(async () => {
    const now = await state(engine, promiseId);
    expect(now.attention?.reason).toBe('Planera årets tillfällen: Databasen tog inte emot uppgifterna.');
    return now;
  });
  expect(stuck).toMatchObject({ status: 'ACTIVE', phase: 'STARTING_YEAR' });
  // An operator finds it in Temporal by the search attribute (README, "Drift").
  const waiting = `PromiseNeedsAttention = true AND WorkflowId = '${promiseWorkflowId(promiseId)}'`;
  await eventually(async () => expect(await listedWorkflows(env.client, waiting)).toEqual([promiseWorkflowId(promiseId)]));
  // The state shows the wait as soon as it begins; the record of it follows in an activity.
  await eventually(async () =>
    expect(activities.calls.filter((c) => c.name === 'recordAttention')).toEqual([
      { name: 'recordAttention', input: { promiseId, reason: stuck.attention!.reason, since: stuck.attention!.since } },
    ]),
  );
  // Year commands wait (BUSY is retried by the API, then reported); a resume tries the step again.
  expect(
    (await rejection(engine.client.workflow.getHandle(promiseWorkflowId(promiseId)).executeUpdate('launchRenewal', { args: [{ actor }] })))
      .type,
  ).toBe('BUSY');
  const resumed = await resume(engine, promiseId, actor);
  expect(resumed.attention).toBeUndefined();
  await eventually(async () => expect((await state(engine, promiseId)).phase).toBe('YEAR'));
  expect(activities.calls.filter((c) => c.name === 'clearAttention')).toHaveLength(1);
  await eventually(async () => expect(await listedWorkflows(env.client, waiting)).toEqual([]));
  expect((await rejection(resume(engine, promiseId, actor))).type).toBe('INVALID_STATE');
  await recordHistory(engine, promiseWorkflowId(promiseId), 'promise-attention-resumed');
});

test('a promise that needs attention can still be withdrawn', async () => {
  const activities = fakeActivities({
    scheduleOccurrences: async () => {
      throw ApplicationFailure.nonRetryable('Trasigt.', 'INVALID_DATA');
    },
  });
  const engine = await engineWith(activities);
  const promiseId = randomUUID();
  await submitForSigning(engine, promiseId, actor);
  await sign(engine, promiseId);
  await eventually(async () => expect((await state(engine, promiseId)).attention).toBeDefined());
  await expect(withdraw(engine, promiseId, actor, 'Vi börjar om.')).resolves.toEqual({ status: 'WITHDRAWN' });
  expect(activities.calls.find((c) => c.name === 'recordStatus' && (c.input as { status: string }).status === 'WITHDRAWN')).toBeDefined();
});

describe('a fresh run carries on from the records', () => {
  const roundRecord = (promiseId: string) => ({
    roundId: 'round-1',
    roundNumber: 1,
    workflowId: signingRoundWorkflowId(promiseId, 1),
    versionNumber: 1,
    documentSha256: '1'.repeat(64),
    settings: DEFAULT_SETTINGS.signing,
    requests: [
      { requestId: 'request-1', signatoryName: 'Anna Andersson', group: 1 },
      { requestId: 'request-2', signatoryName: 'Bo Berg', group: 1 },
    ],
    decided: { 'request-1': 'SIGNED' as const },
  });
  /** Activities whose records say: SIGNING, with this latest round. */
  const signingOnRecord = (round: object) =>
    fakeActivities({ readPromiseRecords: async () => ({ status: 'SIGNING', versionNumber: 1, roundNumber: 1, round }) });

  test('a round that was declined before the run stopped: back to DRAFT with the reason, nothing run again', async () => {
    const promiseId = randomUUID();
    const activities = signingOnRecord({
      plan: roundRecord(promiseId),
      startedAt: Date.now() - 60_000,
      ended: { kind: 'DECLINED', signatoryName: 'Bo Berg', reason: 'Inte nu.' },
    });
    const engine = await engineWith(activities);
    await resume(engine, promiseId, actor);
    await eventually(async () =>
      expect(await state(engine, promiseId)).toMatchObject({
        status: 'DRAFT',
        statusReason: 'Avböjt av Bo Berg: Inte nu.',
        phase: 'IDLE',
        roundNumber: 1,
      }),
    );
    expect(activities.calls.filter((c) => c.name === 'closeSigningRound').map((c) => c.input)).toEqual([
      { roundId: 'round-1', status: 'DECLINED', reason: 'Avböjt av Bo Berg: Inte nu.' },
    ]);
    expect(activities.calls.some((c) => c.name === 'sendSigningEmail')).toBe(false);
    // The next submit starts round 2.
    expect(await submitForSigning(engine, promiseId, actor)).toMatchObject({ status: 'SIGNING', roundNumber: 2 });
  });

  test('an open round runs on with the signature on record: the other signs, and the promise is ACTIVE', async () => {
    const promiseId = randomUUID();
    const activities = signingOnRecord({ plan: roundRecord(promiseId), startedAt: Date.now() - 60_000 });
    const engine = await engineWith(activities);
    expect(await resume(engine, promiseId, actor)).toMatchObject({ status: 'SIGNING', phase: 'SIGNING' });
    await eventually(async () =>
      expect(
        (await engine.client.workflow.getHandle(signingRoundWorkflowId(promiseId, 1)).query(signingRoundStateQuery)).decisions,
      ).toEqual({ 'request-1': 'SIGNED' }),
    );
    await decide(engine, signingRoundWorkflowId(promiseId, 1), {
      signingRequestId: 'request-2',
      decision: 'SIGN',
      documentSha256: '1'.repeat(64),
      actor: { kind: 'SIGNATORY', id: 'bo' },
    });
    await eventually(async () => expect((await state(engine, promiseId)).status).toBe('ACTIVE'));
    expect(activities.calls.filter((c) => c.name === 'recordDecision').map((c) => (c.input as { requestId: string }).requestId)).toEqual([
      'request-2',
    ]);
    await recordHistory(engine, promiseWorkflowId(promiseId), 'promise-open-round-carried-on');
  });
});

test('a date never set: the coordinator is asked maxDateRequests times, told once that it is the last, then left alone', async () => {
  const settings = { ...DEFAULT_SETTINGS.activities, dateRequestInterval: '1s', maxDateRequests: 2 };
  const activities = fakeActivities({ scheduleOccurrences: async () => yearOf(settings, null, toIsoDate(Date.now())) });
  const engine = await engineWith(activities);
  await activePromise(engine, activities);
  const asked = () => activities.calls.filter((c) => c.name === 'askForDate').map((c) => c.input as { sequence: number; last: boolean });
  await eventually(async () => expect(asked()).toHaveLength(3));
  // Well past two more intervals: nothing more is sent.
  await new Promise((resolve) => setTimeout(resolve, 3_000));
  expect(asked().map(({ sequence, last }) => ({ sequence, last }))).toEqual([
    { sequence: 0, last: false },
    { sequence: 1, last: false },
    { sequence: 2, last: true },
  ]);
});
