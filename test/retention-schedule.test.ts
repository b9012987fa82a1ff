import { MockActivityEnvironment } from '@temporalio/testing';
import { createActivities } from '../activities';
import { DEFAULT_RETENTION } from '../domain/retention';
import { DEFAULT_SESSION_POLICY } from '../domain/sessions';
import { DEFAULT_SETTINGS } from '../domain/default-settings';
import { recordAudit } from '../store/audit';
import { joinOrganisation, setOrganisationRetention } from '../store/organisations';
import { sweepBatch, SWEEP_BATCH } from '../store/retention';
import { ensureRetentionSchedule, RETENTION_SCHEDULE_ID } from '../worker/retention-schedule';
import { startEngine, type Engine } from './support/engine';
import { eventually } from './support/eventually';
import { createDraftOf, createLesseboDraft, fixture, inComingYear } from './support/promises';

// The nightly retention run as the worker sets it up, on the dev server: a real Temporal Schedule,
// created once and updated in place when the settings change; and a sweep cut off halfway that
// the next run finishes without doing anything twice.

let engine: Engine;
beforeAll(async () => {
  engine = await startEngine('dev-server');
});
afterAll(async () => {
  await engine?.stop();
});

const input = { policy: DEFAULT_RETENTION, sessionPolicy: DEFAULT_SESSION_POLICY };

test('the worker’s start-up creates the Schedule, a second start updates it to the new settings, and a run it starts completes', async () => {
  expect(await ensureRetentionSchedule(engine.client, engine.taskQueue, input)).toBe('created');
  const shorter = { ...input, policy: { ...DEFAULT_RETENTION, technicalDays: 30 } };
  expect(await ensureRetentionSchedule(engine.client, engine.taskQueue, shorter)).toBe('updated');
  const handle = engine.client.schedule.getHandle(RETENTION_SCHEDULE_ID);
  const described = await handle.describe();
  expect(described.spec.calendars).toEqual([
    expect.objectContaining({ hour: [{ start: 3, end: 3, step: 1 }], minute: [{ start: 15, end: 15, step: 1 }] }),
  ]);
  expect(described.spec.timezone).toBe('Europe/Stockholm');
  expect(described.action).toMatchObject({ workflowType: 'retentionWorkflow', taskQueue: engine.taskQueue, args: [shorter] });
  expect((await engine.client.schedule.list()[Symbol.asyncIterator]().next()).value?.scheduleId).toBe(RETENTION_SCHEDULE_ID);

  await handle.trigger();
  const run = await eventually(async () => {
    const [recent] = (await handle.describe()).info.recentActions;
    expect(recent).toBeDefined();
    return recent!.action.workflow;
  });
  const result = await engine.client.workflow.getHandle(run.workflowId, run.firstExecutionRunId).result();
  expect(Object.keys(result).sort()).toEqual([
    'ADDRESS_REFERENCES',
    'AUDIT_ORIGINS',
    'PROMISE_ADDRESSES',
    'RELAY_ANSWERS',
    'SESSIONS',
    'SIGNATURE_ORIGINS',
    'SIGN_IN_ADDRESSES',
    'SIGN_IN_LINKS',
  ]);
  await handle.delete();
});

test('a sweep cut off after one batch: the next run takes the rest, nothing twice, and the counts add up', async () => {
  const { db } = engine.database;
  const rows = 2 * SWEEP_BATCH + 50;
  for (let i = 0; i < rows; i += 1) {
    await db.$transaction((tx) =>
      recordAudit(tx, { actor: { kind: 'COORDINATOR', id: 'x', ipAddress: '192.0.2.1', userAgent: 'Webbläsare' }, action: 'RESUMED' }),
    );
  }
  const later = Date.now() + (DEFAULT_RETENTION.technicalDays + 1) * 86_400_000;
  const pseudonym = (address: string) => address;
  // The first batch commits, then the worker dies.
  expect(await sweepBatch(db, { sweep: 'AUDIT_ORIGINS', now: later, ...input, pseudonym })).toBe(SWEEP_BATCH);
  // The retried activity carries on from what is left, heartbeating its progress batch by batch.
  const activity = new MockActivityEnvironment();
  const heartbeats: unknown[] = [];
  activity.on('heartbeat', (details: unknown) => heartbeats.push(details));
  const { sweepPersonalData } = createActivities(engine.activityDeps);
  expect(await activity.run(sweepPersonalData, { sweep: 'AUDIT_ORIGINS' as const, now: later, ...input })).toBe(rows - SWEEP_BATCH);
  expect(heartbeats).toEqual([SWEEP_BATCH, rows - SWEEP_BATCH]);
  expect(await db.auditOrigin.count()).toBe(0);
  const recorded = await db.auditEvent.findMany({ where: { action: 'PERSONAL_DATA_SWEPT' } });
  expect(recorded.map((e) => (e.details as { count: number }).count).reduce((a, b) => a + b, 0)).toBe(rows);
  expect(await db.auditEvent.count({ where: { action: 'RESUMED' } })).toBe(rows);
});

test('an organisation’s shorter limits apply to its own promises only', async () => {
  const { db } = engine.database;
  const lesseboDraft = await createLesseboDraft(db);
  const ljungbyDraft = await createDraftOf(db, inComingYear(fixture('ljungby-2021')), DEFAULT_SETTINGS);
  const { id: organisationId } = await joinOrganisation(db, lesseboDraft.coordinator.id, { kind: 'MUNICIPALITY', name: 'Lessebo' });
  await setOrganisationRetention(db, {
    organisationId,
    retentionTechnicalDays: 30,
    retentionAddressMonths: 6,
    actor: { kind: 'COORDINATOR', id: lesseboDraft.coordinator.id },
  });
  const drafts = [lesseboDraft, ljungbyDraft];
  for (const { promise } of drafts) {
    await db.$transaction((tx) =>
      recordAudit(tx, { promiseId: promise.id, actor: { kind: 'COORDINATOR', id: 'y', ipAddress: '192.0.2.9' }, action: 'RESUMED' }),
    );
  }
  const originsOf = async (promiseId: string) => db.auditOrigin.count({ where: { event: { promiseId } } });
  const pseudonym = (address: string) => `raderad-${address.length}@pseudonym.invalid`;
  const sweep = async (sweep: 'AUDIT_ORIGINS' | 'PROMISE_ADDRESSES', now: number) => {
    let total = 0;
    for (let count; (count = await sweepBatch(db, { sweep, now, ...input, pseudonym })) > 0;) total += count;
    return total;
  };
  const day = 86_400_000;
  // 31 days on: Lessebo's origin goes (its 30 days), Ljungby's stays (the installation's 90).
  expect(await sweep('AUDIT_ORIGINS', Date.now() + 31 * day)).toBe(1);
  expect([await originsOf(lesseboDraft.promise.id), await originsOf(ljungbyDraft.promise.id)]).toEqual([0, 1]);

  // Both closed; seven months after their period Lessebo's addresses are pseudonyms, Ljungby's not yet.
  await db.promiseRecord.updateMany({ where: { id: { in: drafts.map((d) => d.promise.id) } }, data: { status: 'CLOSED' } });
  const { periodEnd } = await db.promiseRecord.findUniqueOrThrow({ where: { id: ljungbyDraft.promise.id } });
  const sevenMonths = new Date(periodEnd);
  sevenMonths.setUTCMonth(sevenMonths.getUTCMonth() + 7);
  expect(await sweep('PROMISE_ADDRESSES', sevenMonths.getTime())).toBe(1);
  const clearAddresses = (promiseId: string) =>
    db.signatory.count({ where: { version: { promiseId }, NOT: { email: { endsWith: '@pseudonym.invalid' } } } });
  expect(await clearAddresses(lesseboDraft.promise.id)).toBe(0);
  expect(await clearAddresses(ljungbyDraft.promise.id)).toBeGreaterThan(0);
  // The change is in the audit log.
  expect(await db.auditEvent.count({ where: { action: 'RETENTION_CHANGED' } })).toBe(1);
});
