import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Webhook } from 'standardwebhooks';
import { newWebhookSecret, sealText } from '../../domain/crypto';
import { TEST_PERSONS } from '../../platform/embedded/bankid-server';
import { findSigningAccess } from '../../store/signing';
import { eventually } from '../support/eventually';
import { inComingYear, lessebo, subjectsStartingWith } from '../support/promises';
import { measure, waitUntilQuiet } from './support/measure';
import { reportFault } from './support/report';
import { linkPath, signEverything } from './support/signing-driver';
import { startFaultStack, type FaultStack } from './support/stack';
import { WORKER } from '../support/service-process';

// The production worker as a process of its own, killed with SIGKILL: at random moments while
// twenty promises (eight signatories each) are created, submitted and signed over HTTP; once
// exactly between the relay's 250 and the outbox's record of it; once while BankID is collected; and
// once while a webhook receiver holds a delivery.

const PROMISES = 20;
const SIGNATORIES = lessebo().signatories.length;
let stack: FaultStack;

beforeAll(async () => {
  stack = await startFaultStack('worker-kills');
  await stack.worker.start();
});
afterAll(async () => {
  await stack?.stop();
});

async function createAndSubmit(): Promise<string> {
  const created = await stack.coordinator.post('/api/promises', { content: inComingYear(lessebo()) });
  expect(created.status).toBe(201);
  // While the worker is down the submit waits; a 503 (it waited too long) is tried again with the
  // same Idempotency-Key, as a client should: the first call may have been taken just as it gave up.
  const idempotencyKey = randomUUID();
  for (;;) {
    const submitted = await stack.coordinator.post(`/api/promises/${created.json.id}/submit`, undefined, {
      'idempotency-key': idempotencyKey,
    });
    if (submitted.status === 200) return created.json.id;
    expect(submitted.status).toBe(503);
  }
}

test(`twenty promises signed while the worker is SIGKILLed at random: all ACTIVE, nothing lost, every link works`, async () => {
  let done = false;
  const killsBefore = stack.worker.kills;
  // Every 2–6 s: often enough that a fast run still meets five kills (a run on Prisma 7 took 4 at 4–12 s).
  const killer = (async () => {
    while (!done) {
      await new Promise((resolve) => setTimeout(resolve, 2_000 + Math.random() * 4_000));
      if (done) break;
      await stack.worker.kill();
      await stack.worker.start();
    }
  })();
  const promiseIds: string[] = [];
  for (let i = 0; i < PROMISES; i += 4) promiseIds.push(...(await Promise.all([0, 1, 2, 3].map(() => createAndSubmit()))));
  const driver = await signEverything(stack, promiseIds, 6 * 60_000);
  done = true;
  await killer;
  if (!stack.worker.running) await stack.worker.start();
  await waitUntilQuiet(stack, promiseIds, 120_000);

  const kills = stack.worker.kills - killsBefore;
  const result = await measure(stack, promiseIds, driver, SIGNATORIES);
  reportFault({ scenario: 'Worker SIGKILL vid slumpvisa tillfällen', kills, ...result });
  expect(kills).toBeGreaterThanOrEqual(5);
  expect(result).toMatchObject({ promises: PROMISES, active: PROMISES, duplicates: 0, lostSignatures: 0, deadLinks: 0 });
  expect(driver.signed.size).toBe(PROMISES * SIGNATORIES);
});

test('killed exactly between the relay’s 250 and the outbox’s record: the e-mail comes again with the same working link', async () => {
  let promiseId = '';
  let claimed = false;
  let cutOff: string | undefined;
  stack.mailbox.beforeAccepting = async (mail) => {
    // Several requests arrive at once: the first claims the cut before anything is awaited.
    if (claimed || !mail.subject.startsWith('Signera medborgarlöftet')) return;
    claimed = true;
    const access = await findSigningAccess(stack.db, linkPath(mail).slice('/sign/'.length));
    if (access?.request.round.promiseId !== promiseId) {
      claimed = false;
      return;
    }
    // The relay has the message; the worker dies before it hears 250 and before it records SENT.
    await stack.worker.kill();
    cutOff = mail.messageId;
  };
  const killsBefore = stack.worker.kills;
  const created = await stack.coordinator.post('/api/promises', { content: inComingYear(lessebo()) });
  promiseId = created.json.id;
  const submitting = stack.coordinator.post(`/api/promises/${promiseId}/submit`);
  while (!cutOff) await new Promise((resolve) => setTimeout(resolve, 50));
  stack.mailbox.beforeAccepting = undefined;
  const row = await stack.db.emailOutbox.findFirstOrThrow({ where: { messageId: cutOff } });
  expect(row.status).toBe('PENDING');
  await stack.worker.start();
  expect((await submitting).status).toBe(200);

  // The retried activity sends the same e-mail again: same Message-ID, same words, same link.
  const copies = await (async () => {
    const deadline = Date.now() + 120_000;
    for (;;) {
      const found = stack.mailbox.messages.filter((m) => m.messageId === cutOff);
      if (found.length >= 2 || Date.now() > deadline) return found;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  })();
  expect(copies).toHaveLength(2);
  expect(linkPath(copies[1]!)).toBe(linkPath(copies[0]!));
  // The sink holds the copy as soon as it answers 250; the outbox records it a moment later.
  await eventually(async () =>
    expect(await stack.db.emailOutbox.findFirstOrThrow({ where: { messageId: cutOff } })).toMatchObject({ status: 'SENT', attempts: 2 }),
  );

  // The first copy's link is the one the signatory uses, and it works.
  const driver = await signEverything(stack, [promiseId], 120_000);
  await waitUntilQuiet(stack, [promiseId], 120_000);
  const result = await measure(stack, [promiseId], driver, SIGNATORIES);
  reportFault({ scenario: 'Worker SIGKILL mellan reläets 250 och utkorgen', kills: stack.worker.kills - killsBefore, ...result });
  expect(result).toMatchObject({ promises: 1, active: 1, duplicates: 0, lostSignatures: 0, deadLinks: 0 });
  expect(result.redeliveries).toBeGreaterThanOrEqual(1);
  expect(subjectsStartingWith(stack.mailbox.messages, 'Signera medborgarlöftet').filter((m) => m.messageId === cutOff)).toHaveLength(2);
});

test('killed between BankID’s sign and the final collect: the order is resumed, and the signature is recorded exactly once', async () => {
  const content = inComingYear(lessebo());
  const [person] = TEST_PERSONS;
  content.signatories[0]!.signingMethod = 'BANKID';
  content.signatories[0]!.name = person!.name;
  const created = await stack.coordinator.post('/api/promises', { content });
  const promiseId: string = created.json.id;
  expect((await stack.coordinator.post(`/api/promises/${promiseId}/submit`)).status).toBe(200);
  const sha256: string = (await stack.coordinator.get(`/api/promises/${promiseId}`)).json.currentVersion.sha256;
  const link = await eventually(async () => {
    for (const mail of subjectsStartingWith(stack.mailbox.messages, 'Signera medborgarlöftet')) {
      const access = await findSigningAccess(stack.db, linkPath(mail).slice('/sign/'.length));
      if (access?.request.round.promiseId === promiseId && access.request.signatory.signingMethod === 'BANKID') return linkPath(mail);
    }
    throw new Error('Ingen BankID-länk än');
  }, 60_000);
  const started = await fetch(`${stack.api.baseUrl}${link}/bankid`, {
    method: 'POST',
    redirect: 'manual',
    body: new URLSearchParams({ device: 'same', documentSha256: sha256 }),
  });
  expect(started.status).toBe(303);
  const orderId = /\/bankid\/([0-9a-f-]{36})/.exec(started.headers.get('location')!)![1]!;
  // BankID has the order (sign answered), and the worker is collecting: it dies now.
  const order = await eventually(async () => {
    const row = await stack.db.bankIdOrder.findUniqueOrThrow({ where: { id: orderId } });
    expect(row.status).toBe('PENDING');
    return row;
  }, 60_000);
  const killsBefore = stack.worker.kills;
  await stack.worker.kill();
  // The person signs in the app while no worker is there to collect.
  stack.bankId.signAs(stack.bankId.open({ autoStartToken: order.autoStartToken! }, person!).session);
  await stack.worker.start();

  await eventually(async () => {
    const request = await stack.db.signingRequest.findFirstOrThrow({
      where: { bankIdOrders: { some: { id: orderId } } },
      include: { signature: true },
    });
    expect(request.signature).toMatchObject({ method: 'BANKID', bankIdOrderId: orderId, decision: 'SIGNED' });
  }, 120_000);
  const signatures = await stack.db.signature.count({ where: { request: { bankIdOrders: { some: { id: orderId } } } } });
  const signedEvents = await stack.db.auditEvent.count({
    where: { promiseId, action: 'SIGNED', details: { path: ['bankIdOrderId'], equals: orderId } },
  });
  reportFault({
    scenario: 'Worker SIGKILL mellan BankID:s sign och sista collect',
    kills: stack.worker.kills - killsBefore,
    promises: 1,
    active: 0,
    duplicates: signatures - 1,
    lostSignatures: signatures === 0 ? 1 : 0,
    deadLinks: 0,
    redeliveries: 0,
  });
  expect({ signatures, signedEvents }).toEqual({ signatures: 1, signedEvents: 1 });
  expect((await stack.db.bankIdOrder.findUniqueOrThrow({ where: { id: orderId } })).status).toBe('COMPLETE');
});

test('killed while a webhook receiver holds a delivery: it comes again under the same id, verified, and is recorded once', async () => {
  const secret = newWebhookSecret();
  const organisation = await stack.db.organisation.upsert({
    where: { kind_name: { kind: 'MUNICIPALITY', name: 'Lessebo' } },
    create: { kind: 'MUNICIPALITY', name: 'Lessebo' },
    update: {},
  });
  await stack.db.webhookEndpoint.create({
    data: {
      organisationId: organisation.id,
      url: stack.receiver.url,
      description: 'Diariet',
      events: ['promise.submitted'],
      secretSealed: sealText(stack.linkSecret, secret),
    },
  });
  let heldId: string | undefined;
  stack.receiver.beforeAnswering = async () => {
    if (heldId) return;
    // The receiver has the delivery; the worker dies before it hears the answer and records it.
    heldId = stack.receiver.received.at(-1)!.id;
    await stack.worker.kill();
  };
  const killsBefore = stack.worker.kills;
  const submitting = createAndSubmit();
  while (!heldId) await new Promise((resolve) => setTimeout(resolve, 50));
  await stack.worker.start();
  const promiseId = await submitting;

  const copies = await eventually(() => {
    const found = stack.receiver.received.filter((r) => r.id === heldId);
    expect(found.length).toBeGreaterThanOrEqual(2);
    return found;
  }, 180_000);
  for (const copy of copies) expect(() => new Webhook(secret).verify(copy.body, copy.headers)).not.toThrow();
  expect(new Set(copies.map((c) => c.body)).size).toBe(1);
  await eventually(async () =>
    expect(await stack.db.webhookDelivery.findUniqueOrThrow({ where: { id: heldId } })).toMatchObject({ promiseId, status: 'DELIVERED' }),
  );
  const deliveries = await stack.db.webhookDelivery.count({ where: { promiseId } });
  reportFault({
    scenario: 'Worker SIGKILL medan en webhook-mottagare håller en leverans',
    kills: stack.worker.kills - killsBefore,
    promises: 1,
    active: 0,
    duplicates: deliveries - 1,
    lostSignatures: 0,
    deadLinks: 0,
    redeliveries: copies.length - 1,
  });
  expect(deliveries).toBe(1);
  // The secret is in no line the worker wrote, whole or without its prefix.
  const log = readFileSync(stack.worker.logFile, 'utf8');
  expect(log).toContain(WORKER.readyWhen);
  expect(log).not.toContain(secret.slice('whsec_'.length));
  expect(stack.receiver.received.filter((r) => JSON.parse(r.body).data.promiseId === promiseId).every((r) => r.id === heldId)).toBe(true);
});
