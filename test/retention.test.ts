import { addDays } from '../domain/calendar';
import { promiseWorkflowId } from '../domain/identifiers';
import { DEFAULT_RETENTION } from '../domain/retention';
import { DEFAULT_SESSION_POLICY } from '../domain/sessions';
import { contactsOf } from '../domain/stored-content';
import { createSignInLink, signInWithLink } from '../store/sessions';
import { findSigningAccess } from '../store/signing';
import { retentionWorkflow } from '../workflows/retention';
import { eventually } from './support/eventually';
import { startApiTestbed, type ApiTestbed } from './support/http';
import { reportTokenFor } from './support/reports';
import { columnsHolding, historyHolding, storedHistory } from './support/personal-data-scan';
import { lessebo, signingToken, startingOn, subjectsStartingWith, today } from './support/promises';

// Issue 23's "done when" for retention, on PostgreSQL and the time-skipping server: a promise's
// whole life (a bounced address corrected, every signature and a contact's report through their
// links from a known IP address and browser, the follow-up published and the promise closed), then
// the clock moved past each limit and the nightly run started as the Schedule starts it; then every
// column of every table and Temporal's histories searched for what may no longer be there.

const SARA = 'sara.gallring@lessebo.example';
const IP = '203.0.113.77';
const BROWSER = 'Gallringstestet/1.0 (personuppgift)';
const BOUNCED_NEW = 'ny.adress.gallring@lessebo.example';
let testbed: ApiTestbed;

beforeAll(async () => {
  testbed = await startApiTestbed(SARA, { trustProxy: 1 }, 'time-skipping');
});
afterAll(async () => {
  await testbed?.stop();
});

/** A request as a person's browser sends it, through the one proxy the API trusts. */
const fromPerson = { 'x-forwarded-for': IP, 'user-agent': BROWSER, 'content-type': 'application/x-www-form-urlencoded' };

async function runRetention(id: string) {
  const { engine } = testbed;
  return engine.client.workflow.execute(retentionWorkflow, {
    taskQueue: engine.taskQueue,
    workflowId: id,
    args: [{ policy: DEFAULT_RETENTION, sessionPolicy: DEFAULT_SESSION_POLICY }],
  });
}

async function sleepUntil(iso: string) {
  const wait = Date.parse(iso) - (await testbed.engine.env.currentTimeMs());
  if (wait > 0) await testbed.engine.env.sleep(wait);
}

test('a promise’s whole life, then each retention limit passed: no address, IP address or browser is left but what the inventory allows', async () => {
  const { coordinator, engine } = testbed;
  const { db } = engine.database;
  const base = testbed.api.baseUrl;
  const content = { ...startingOn(lessebo(), today()), renewal: 'NONE' as const };
  const bounced = content.signatories[1]!.email;
  engine.mailbox.refuse(bounced, 550, `5.1.1 <${bounced}>: Recipient address rejected`);
  const promiseId: string = (await coordinator.post('/api/promises', { content })).json.id;
  expect((await coordinator.post(`/api/promises/${promiseId}/submit`, {})).status).toBe(200);
  await eventually(async () => expect(await db.emailOutbox.count({ where: { recipient: bounced, status: 'UNDELIVERABLE' } })).toBe(1));
  const corrected = await coordinator.post(`/api/promises/${promiseId}/address-corrections`, { previous: bounced, email: BOUNCED_NEW });
  expect(corrected.status).toBe(200);

  // Everyone signs through their link, from a browser at a known address.
  const tokens = await eventually(() => {
    const found = [...new Set(subjectsStartingWith(engine.mailbox.messages, 'Signera medborgarlöftet').map(signingToken))];
    expect(found).toHaveLength(content.signatories.length);
    return found;
  });
  for (const token of tokens) {
    const access = (await findSigningAccess(db, token))!;
    const signed = await fetch(`${base}/sign/${token}`, {
      method: 'POST',
      headers: fromPerson,
      body: new URLSearchParams({ decision: 'SIGN', documentSha256: access.request.round.version.sha256 }),
    });
    expect(signed.status).toBe(200);
  }
  await eventually(async () => expect((await db.promiseRecord.findUniqueOrThrow({ where: { id: promiseId } })).status).toBe('ACTIVE'));

  // A contact reports through the reminder's link.
  const occurrence = await eventually(() =>
    db.activityOccurrence.findFirstOrThrow({
      where: { promiseId, kind: 'ACTIVITY', dueDate: { not: null }, commitment: { contacts: { some: {} } } },
    }),
  );
  const reportPath = `/report/${await reportTokenFor(engine, occurrence)}`;
  const page = await (await fetch(`${base}${reportPath}`, { headers: { 'user-agent': BROWSER } })).text();
  const submissionId = /name="submissionId" value="([^"]+)"/.exec(page)![1]!;
  const reported = await fetch(`${base}${reportPath}`, {
    method: 'POST',
    headers: fromPerson,
    body: new URLSearchParams({ kind: 'DONE', performedOn: today(), description: 'Trygghetsvandring genomförd.', submissionId }),
  });
  expect(reported.status).toBe(200);
  // The audit log names the contact by an id, never by address.
  const contactEvent = await db.auditEvent.findFirstOrThrow({ where: { promiseId, action: 'ACTIVITY_REPORTED' } });
  expect(contactEvent.actor).toMatch(/^CONTACT:[0-9a-f-]{36}$/);

  // A coordinator's sign-in link and session, as a browser leaves them.
  const { id: saraId } = await db.coordinator.findUniqueOrThrow({ where: { email: SARA } });
  await signInWithLink(db, await createSignInLink(db, saraId, '30m'));
  await createSignInLink(db, saraId, '30m');

  // The year ends; the final follow-up is published and the promise closes.
  await sleepUntil(`${addDays(content.period.end, 3)}T12:00:00Z`);
  await eventually(async () => expect((await coordinator.get(`/api/promises/${promiseId}/follow-ups`)).json).toHaveLength(1), 30_000);
  expect((await coordinator.post(`/api/promises/${promiseId}/follow-ups/1/publish`, { narrative: 'Året är följt upp.' })).status).toBe(200);
  expect((await engine.client.workflow.getHandle(promiseWorkflowId(promiseId)).result()).status).toBe('CLOSED');

  const addresses = [
    ...content.signatories.map((s) => s.email),
    ...content.priorityAreas
      .flatMap((a) => a.commitments)
      .flatMap(contactsOf)
      .map((c) => c.email),
    BOUNCED_NEW,
  ];
  // Before retention, all of it is there.
  expect(await columnsHolding(db, [IP, BROWSER])).toEqual(
    expect.arrayContaining(['Signature.ipAddress: ' + IP, 'Signature.userAgent: ' + BROWSER, 'AuditOrigin.ipAddress: ' + IP]),
  );
  const proof = await db.signature.findMany({
    select: {
      id: true,
      documentSha256: true,
      decidedAt: true,
      request: { select: { signatory: { select: { name: true, title: true } } } },
    },
  });

  // A delivery status notification that came back later, its server's words naming the address.
  const delayed = await db.emailOutbox.findFirstOrThrow({ where: { promiseId, status: 'SENT' } });
  await db.bounceNotice.create({
    data: { outboxId: delayed.id, kind: 'DELAYED', status: '4.2.2', diagnostic: `452 4.2.2 <${delayed.recipient}> Mailbox full` },
  });

  // 90 days after the signatures: IP addresses and browsers go, the relay's answers too; addresses stay.
  await engine.env.sleep(DEFAULT_RETENTION.technicalDays * 86_400_000);
  const first = await runRetention('gallring-1');
  expect(first).toMatchObject({ SIGNATURE_ORIGINS: content.signatories.length, PROMISE_ADDRESSES: 0 });
  expect(first.AUDIT_ORIGINS).toBeGreaterThanOrEqual(content.signatories.length + 1);
  expect(first.RELAY_ANSWERS).toBeGreaterThanOrEqual(1);
  expect(first.SIGN_IN_LINKS).toBe(2);
  expect(first.SESSIONS).toBe(1);
  expect(await columnsHolding(db, [IP, BROWSER])).toEqual([]);
  expect(await db.emailOutbox.count({ where: { lastError: { not: null } } })).toBe(0);
  expect(await db.bounceNotice.findMany({ select: { status: true, diagnostic: true } })).toEqual([{ status: '4.2.2', diagnostic: null }]);
  expect(await db.signatory.count({ where: { email: BOUNCED_NEW } })).toBe(1);
  // The signatures' proof is whole.
  expect(
    await db.signature.findMany({
      select: {
        id: true,
        documentSha256: true,
        decidedAt: true,
        request: { select: { signatory: { select: { name: true, title: true } } } },
      },
    }),
  ).toEqual(proof);

  // 24 months after the period: every address of the promise becomes a pseudonym.
  const { periodEnd } = await db.promiseRecord.findUniqueOrThrow({ where: { id: promiseId } });
  const months = new Date(periodEnd);
  months.setUTCMonth(months.getUTCMonth() + DEFAULT_RETENTION.addressMonths);
  await sleepUntil(addDays(months.toISOString().slice(0, 10), 2) + 'T12:00:00Z');
  const second = await runRetention('gallring-2');
  expect(second.PROMISE_ADDRESSES).toBe(1);
  expect(second.ADDRESS_REFERENCES).toBeGreaterThanOrEqual(1);
  expect(await columnsHolding(db, [...addresses, IP, BROWSER])).toEqual([]);
  // The coordinator's own address stays with the account; the public record (names) stays.
  expect(await columnsHolding(db, [SARA])).toContain('Coordinator.email: ' + SARA);
  expect(await db.signatory.count({ where: { name: content.signatories[0]!.name } })).toBe(1);
  // Run again, it finds nothing left; every batch it did is in the audit log, with counts only.
  expect(Object.values(await runRetention('gallring-3')).every((n) => n === 0)).toBe(true);
  const sweeps = await db.auditEvent.findMany({ where: { action: 'PERSONAL_DATA_SWEPT' } });
  expect(sweeps.length).toBeGreaterThanOrEqual(7);
  for (const sweep of sweeps) expect(Object.keys(sweep.details as object).sort()).toEqual(['count', 'sweep']);

  // Temporal's histories hold none of it in clear.
  const rounds = await db.signingRound.findMany({ where: { promiseId } });
  for (const workflowId of [promiseWorkflowId(promiseId), ...rounds.map((r) => r.workflowId), 'gallring-2']) {
    expect({ workflowId, inClear: historyHolding(await storedHistory(engine, workflowId), [...addresses, IP, BROWSER]) }).toEqual({
      workflowId,
      inClear: [],
    });
  }
});

test('a promise that has not ended (a draft whose period is long past) keeps its addresses', async () => {
  const { coordinator, engine } = testbed;
  const { db } = engine.database;
  const content = { ...startingOn(lessebo(), today()), renewal: 'NONE' as const };
  content.signatories = content.signatories.map((s, i) => ({ ...s, email: `lopande.${i}@lessebo.example` }));
  const promiseId: string = (await coordinator.post('/api/promises', { content })).json.id;
  await runRetention('gallring-lopande');
  expect(await db.signatory.count({ where: { version: { promiseId }, email: { startsWith: 'lopande.' } } })).toBe(
    content.signatories.length,
  );
});
