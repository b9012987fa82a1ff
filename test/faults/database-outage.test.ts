import { deliveryReportOf, sendDeliveryReport } from '../../platform/embedded/delivery-report';
import { eventually } from '../support/eventually';
import { inComingYear, lessebo, mailTo, subjectsStartingWith } from '../support/promises';
import { measure, waitUntilQuiet } from './support/measure';
import { reportFault } from './support/report';
import { linkPath, signEverything } from './support/signing-driver';
import { startFaultStack, type FaultStack } from './support/stack';

// PostgreSQL stopped for a minute in the middle of a signing round, just as the first reminders
// fall due for the six who have not signed: they go out once the database is back, once each,
// and the round then completes. Meanwhile the API says "try again" (503), never 500.

const OUTAGE_MS = 60_000;
let stack: FaultStack;

beforeAll(async () => {
  stack = await startFaultStack('database-outage');
  await stack.worker.start();
});
afterAll(async () => {
  await stack?.stop();
});

test('a minute without PostgreSQL while reminders are due: each goes out after, once; the round completes', async () => {
  const signatories = lessebo().signatories;
  const created = await stack.coordinator.post('/api/promises', {
    content: inComingYear(lessebo()),
    settings: { signing: { firstReminderAfter: '40s', reminderInterval: '7d' } },
  });
  const promiseId: string = created.json.id;
  const startedAt = Date.now();
  expect((await stack.coordinator.post(`/api/promises/${promiseId}/submit`)).status).toBe(200);
  const requests = subjectsStartingWith(
    await stack.mailbox.waitFor((m) => subjectsStartingWith(m, 'Signera medborgarlöftet').length === 8),
    'Signera medborgarlöftet',
  );

  // Two sign at once; six have not signed when the database goes away.
  const early = signatories.slice(0, 2).map((s) => s.email);
  for (const address of early) {
    const path = linkPath(mailTo(requests, address)[0]!);
    const page = await stack.anonymous.get(path);
    const hash = /name="documentSha256" value="([0-9a-f]{64})"/.exec(page.text)![1]!;
    expect((await stack.anonymous.form(path, { decision: 'SIGN', documentSha256: hash })).status).toBe(200);
  }

  stack.stopDatabase();
  const during = await stack.coordinator.get(`/api/promises/${promiseId}`);
  expect(during.status).toBe(503);
  expect(during.json.error).toBe('UNAVAILABLE');
  // The reminders fall due 40 s after the round started, in the middle of the outage.
  await new Promise((resolve) => setTimeout(resolve, OUTAGE_MS));
  expect(Date.now() - startedAt).toBeGreaterThan(40_000);
  expect(subjectsStartingWith(stack.mailbox.messages, 'Påminnelse 1')).toHaveLength(0);
  stack.startDatabase();

  const late = signatories.slice(2).map((s) => s.email);
  const reminders = subjectsStartingWith(
    await stack.mailbox.waitFor((m) => subjectsStartingWith(m, 'Påminnelse 1').length >= late.length, 180_000),
    'Påminnelse 1',
  );
  await new Promise((resolve) => setTimeout(resolve, 10_000));
  expect(subjectsStartingWith(stack.mailbox.messages, 'Påminnelse 1')).toHaveLength(late.length);
  expect(reminders.flatMap((m) => m.to).sort()).toEqual([...late].sort());
  const rows = await stack.db.emailOutbox.findMany({ where: { promiseId, purpose: 'SIGNING_REMINDER' } });
  expect(rows.map((r) => [r.status, r.attempts])).toEqual(late.map(() => ['SENT', 1]));

  // The six sign through the reminders' links; the promise becomes ACTIVE with nothing lost.
  const driver = await signEverything(stack, [promiseId], 120_000);
  await waitUntilQuiet(stack, [promiseId], 60_000);
  const result = await measure(stack, [promiseId], driver, signatories.length);
  reportFault({ scenario: 'PostgreSQL stoppad 60 s när påminnelser förföll', kills: 0, ...result, lostSignatures: result.lostSignatures });
  expect(result).toMatchObject({ promises: 1, active: 1, duplicates: 0, redeliveries: 0, lostSignatures: 0, deadLinks: 0 });

  // The production worker's metrics say the same: six reminders sent once each, one round completed.
  const product = await (await fetch(stack.workerMetrics.product)).text();
  expect(product).toContain(`medborgarloften_emails_total{purpose="SIGNING_REMINDER",outcome="sent"} ${late.length}`);
  expect(product).toContain('medborgarloften_signing_rounds_total{outcome="completed"} 1');
  const temporal = await (await fetch(stack.workerMetrics.temporal)).text();
  expect(temporal).toMatch(/^temporal_worker_task_slots_available\{.*worker_type="ActivityWorker".*\} \d+/m);
});

test('a bounce that arrives while PostgreSQL is stopped is refused for now (451); sent again after, it is applied once', async () => {
  const bounced = lessebo().signatories[0]!;
  const created = await stack.coordinator.post('/api/promises', { content: inComingYear(lessebo()) });
  const promiseId: string = created.json.id;
  expect((await stack.coordinator.post(`/api/promises/${promiseId}/submit`)).status).toBe(200);
  const request = await eventually(async () => {
    const row = await stack.db.emailOutbox.findFirstOrThrow({ where: { promiseId, recipient: bounced.email, status: 'SENT' } });
    return stack.mailbox.messages.find((m) => m.returnPath.includes(row.id))!;
  }, 60_000);
  const report = deliveryReportOf({
    returnPath: request.returnPath,
    recipient: bounced.email,
    action: 'failed',
    status: '5.1.1',
    diagnostic: '550 5.1.1 User unknown',
  });

  stack.stopDatabase();
  await expect(sendDeliveryReport(stack.bounces.port, request.returnPath, report)).rejects.toMatchObject({ responseCode: 451 });
  stack.startDatabase();
  // The relay tries again, as relays do, until the worker takes it.
  await eventually(() => sendDeliveryReport(stack.bounces.port, request.returnPath, report), 120_000);

  await eventually(async () => {
    const promise = await stack.coordinator.get(`/api/promises/${promiseId}`);
    expect(promise.json.attention).toEqual(
      expect.arrayContaining([expect.objectContaining({ kind: 'UNDELIVERABLE', address: bounced.email })]),
    );
  }, 60_000);
  await stack.mailbox.waitFor(
    (m) => subjectsStartingWith(mailTo(m, 'samordnare@lessebo.example'), 'E-post kom inte fram').length === 1,
    60_000,
  );
  const product = await (await fetch(stack.workerMetrics.product)).text();
  expect(product).toMatch(/medborgarloften_bounce_mailbox_messages_total\{outcome="failed"\} [1-9]/);
  expect(product).toContain('medborgarloften_bounce_mailbox_messages_total{outcome="bounce"} 1');
});
