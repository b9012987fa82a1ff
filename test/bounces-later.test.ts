import { randomUUID } from 'node:crypto';
import { announceAddressCorrection, submitForSigning } from '../api/commands';
import { returnPathCheck } from '../domain/crypto';
import { returnPathFor } from '../domain/return-path';
import { deliveryReportOf } from '../platform/embedded/delivery-report';
import { correctAddress } from '../store/addresses';
import { attentionOf } from '../store/attention';
import { createBounceIntake, type BounceIntake } from '../worker/bounce-intake';
import { startEngine, type Engine } from './support/engine';
import { eventually } from './support/eventually';
import { createLesseboDraft, lessebo, mailTo, subjectsStartingWith } from './support/promises';
import { signEveryRequest } from './support/signing';

// A relay that takes every address and reports failures later, by a delivery status notification
// to the e-mail's return path (issue 26), on the time-skipping server with the real activities:
// the bounce reaches the promise's workflow as a signal and has the consequences of a refusal
// while sending; a delay, a forged check, an unknown e-mail and a duplicate change nothing.

const BOUNCES = 'studs@lessebo.example';
let engine: Engine;
let intake: BounceIntake;
beforeAll(async () => {
  engine = await startEngine('time-skipping', { bounceAddress: BOUNCES });
  intake = createBounceIntake({
    db: engine.database.db,
    client: engine.client,
    linkSecret: engine.activityDeps.linkSecret,
    bounceAddress: BOUNCES,
    metrics: engine.metrics,
  });
});
afterAll(async () => {
  await engine?.stop();
});

const report = (returnPath: string, recipient: string, action: 'failed' | 'delayed', status: string, diagnostic: string) =>
  deliveryReportOf({ returnPath, recipient, action, status, diagnostic, reportingMta: 'relay.lessebo.example' });
const inboundCount = async (outcome: string) =>
  (await engine.metrics.inboundMail.get()).values.find((v) => v.labels.outcome === outcome)?.value ?? 0;

test('a request accepted and bounced later: the round goes on for the others, the coordinator hears once, the correction resends, the round completes', async () => {
  const [bounced, delayed, other] = lessebo().signatories;
  const { promise, actor, coordinatorEmail } = await createLesseboDraft(engine.database.db);
  await submitForSigning(engine, promise.id, actor);
  // Every signatory's request (none is refused while sending: the relay takes them all).
  const everyone = lessebo().signatories.length;
  const requests = await engine.mailbox.waitFor((m) => subjectsStartingWith(m, 'Signera medborgarlöftet').length === everyone);
  const requestTo = (address: string) => mailTo(requests, address)[0]!;
  const db = engine.database.db;
  const requestOf = (address: string) =>
    db.signingRequest.findFirstOrThrow({ where: { round: { promiseId: promise.id }, signatory: { email: address } } });

  // Every e-mail went out with a return path naming its outbox row; the From is the service's.
  const returnPath = requestTo(bounced!.email).returnPath;
  expect(returnPath).toMatch(/^studs\+[0-9a-f-]{36}\.[0-9a-f]{12}@lessebo\.example$/);
  expect(requestTo(bounced!.email).from).toContain('noreply@test.example');

  // A delay is a warning on the promise; nothing is marked.
  expect(await intake(report(requestTo(delayed!.email).returnPath, delayed!.email, 'delayed', '4.2.2', '452 4.2.2 Mailbox full'))).toBe(
    'delayed',
  );
  // A forged check value for another signatory's e-mail, and a well-made path for an e-mail that does not exist.
  const [forgedId] = requestTo(other!.email).returnPath.slice('studs+'.length).split('.');
  const forged = returnPathFor(BOUNCES, forgedId!, 'abcdef012345');
  expect(await intake(report(forged, other!.email, 'failed', '5.1.1', '550 5.1.1 User unknown'))).toBe('forged');
  const unknownId = randomUUID();
  const unknown = returnPathFor(BOUNCES, unknownId, returnPathCheck(engine.activityDeps.linkSecret, unknownId));
  expect(await intake(report(unknown, other!.email, 'failed', '5.1.1', '550 5.1.1 User unknown'))).toBe('unknown_email');

  // The real bounce, and the same notification again (a relay retrying, or two readers).
  const bounce = report(returnPath, bounced!.email, 'failed', '5.1.1', '550 5.1.1 <adressen> User unknown');
  expect(await intake(bounce)).toBe('bounce');
  expect(await intake(bounce)).toBe('duplicate');

  await eventually(async () => expect((await requestOf(bounced!.email)).status).toBe('UNDELIVERABLE'));
  const notices = await engine.mailbox.waitFor(
    (m) => subjectsStartingWith(mailTo(m, coordinatorEmail), 'E-post kom inte fram').length === 1,
  );
  const notice = subjectsStartingWith(mailTo(notices, coordinatorEmail), 'E-post kom inte fram')[0]!;
  expect(notice.text).toContain(bounced!.email);
  expect(notice.text).toContain('550 5.1.1 <adressen> User unknown');
  expect(notice.text).not.toContain('5.1.1 550');
  expect((await requestOf(delayed!.email)).status).toBe('PENDING');
  expect((await requestOf(other!.email)).status).toBe('PENDING');
  const email = await db.emailOutbox.findFirstOrThrow({ where: { promiseId: promise.id, recipient: bounced!.email } });
  expect(email.status).toBe('UNDELIVERABLE');
  expect(await db.auditEvent.count({ where: { promiseId: promise.id, action: 'EMAIL_UNDELIVERABLE' } })).toBe(1);

  // The coordinator sees both on the promise: the bounce to correct, the delay to watch.
  const items = (await attentionOf(db, [promise.id])).get(promise.id)!;
  expect(items.map((i) => [i.kind, 'address' in i ? i.address : ''])).toEqual(
    expect.arrayContaining([
      ['UNDELIVERABLE', bounced!.email],
      ['DELIVERY_DELAYED', delayed!.email],
    ]),
  );
  expect(items.filter((i) => i.kind === 'UNDELIVERABLE')).toHaveLength(1);
  for (const outcome of ['bounce', 'duplicate', 'delayed', 'forged', 'unknown_email']) expect(await inboundCount(outcome)).toBe(1);

  // The correction sends the request to the new address; everyone signs; the round completes.
  const corrected = 'ny.adress@lessebo.example';
  await correctAddress(db, { promiseId: promise.id, previous: bounced!.email, email: corrected, actor });
  await announceAddressCorrection(engine, promise.id, bounced!.email, corrected);
  await engine.mailbox.waitFor((m) => subjectsStartingWith(mailTo(m, corrected), 'Signera medborgarlöftet').length === 1);
  await signEveryRequest(engine, promise.id);
  await eventually(async () => expect((await db.promiseRecord.findUniqueOrThrow({ where: { id: promise.id } })).status).toBe('ACTIVE'));
  // Still one notice: the bounce was told once.
  expect(subjectsStartingWith(mailTo(engine.mailbox.messages, coordinatorEmail), 'E-post kom inte fram')).toHaveLength(1);
});

test('a bounce for a round that has ended is recorded and changes nothing; a reply is shown, naming no one', async () => {
  const { promise, actor } = await createLesseboDraft(engine.database.db);
  await submitForSigning(engine, promise.id, actor);
  await signEveryRequest(engine, promise.id);
  const db = engine.database.db;
  await eventually(async () => expect((await db.promiseRecord.findUniqueOrThrow({ where: { id: promise.id } })).status).toBe('ACTIVE'));
  const signatory = lessebo().signatories[0]!;
  const notice = await db.emailOutbox.findFirstOrThrow({
    where: { promiseId: promise.id, recipient: signatory.email, purpose: 'SIGNING_REQUEST' },
  });
  // The e-mail that row sent, as the relay saw it: its envelope sender names the row.
  const returnPath = mailTo(engine.mailbox.messages, signatory.email).find((m) => m.returnPath.includes(notice.id))!.returnPath;

  expect(await intake(report(returnPath, signatory.email, 'failed', '5.1.1', '550 5.1.1 User unknown'))).toBe('bounce');
  await eventually(async () => expect((await db.emailOutbox.findUniqueOrThrow({ where: { id: notice.id } })).status).toBe('UNDELIVERABLE'));
  const signed = await db.signingRequest.findFirstOrThrow({
    where: { round: { promiseId: promise.id }, signatory: { email: signatory.email } },
  });
  expect(signed.status).toBe('SIGNED');

  const reply = Buffer.from(`From: ${signatory.email}\r\nTo: ${returnPath}\r\nSubject: Sv: Signera\r\n\r\nTack, klart!`);
  expect(await intake(reply)).toBe('reply');
  const items = (await attentionOf(db, [promise.id])).get(promise.id)!;
  expect(items.find((i) => i.kind === 'REPLIED')).toMatchObject({ address: signatory.email });
  const stored = await db.bounceNotice.findFirstOrThrow({ where: { outboxId: notice.id, kind: 'REPLY' } });
  expect(JSON.stringify(stored)).not.toContain('Tack');
});
