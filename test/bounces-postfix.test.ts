import { announceAddressCorrection, submitForSigning } from '../api/commands';
import { DEFAULT_SETTINGS } from '../domain/default-settings';
import { freePort } from '../platform/net';
import { sendDeliveryReport, deliveryReportOf } from '../platform/embedded/delivery-report';
import { correctAddress } from '../store/addresses';
import { attentionOf } from '../store/attention';
import { startBounceReaders } from '../worker/bounces';
import { startEngine, type Engine } from './support/engine';
import { eventually } from './support/eventually';
import { startPostfix, type Postfix } from './support/postfix';
import { createDraftOf, inComingYear, lessebo, mailTo, subjectsStartingWith } from './support/promises';
import { signEveryRequest } from './support/signing';

// Issue 26's proof on real parts: Postfix from Debian as the organisation's relay in front of the
// local mailbox, on the dev server. Postfix takes every recipient with 250; for one domain it then
// fails the recipient for good and for another it defers, and writes the delivery status
// notifications itself, to each e-mail's return path, which it delivers to the worker's inbound
// SMTP port. One signatory's request bounces later: the round goes on for the others, the
// coordinator is told once, the correction resends, the round completes. A delay marks nothing; a
// forged notification, sent through the same relay, is refused.

const BOUNCES = 'studs@bounces.kommun.test';
let engine: Engine;
let postfix: Postfix;
let readers: Awaited<ReturnType<typeof startBounceReaders>>;

beforeAll(async () => {
  const relayPort = await freePort();
  engine = await startEngine('dev-server', { bounceAddress: BOUNCES, smtpUrl: `smtp://127.0.0.1:${relayPort}` });
  readers = await startBounceReaders(
    { bounceAddress: BOUNCES, bounceIntake: { smtpPort: 0, smtpHost: '127.0.0.1', imapFolder: 'Behandlade' } },
    { db: engine.database.db, client: engine.client, linkSecret: engine.activityDeps.linkSecret, metrics: engine.metrics },
  );
  postfix = await startPostfix({
    port: relayPort,
    relayPort: engine.mailbox.port,
    bounceDomain: 'bounces.kommun.test',
    bouncePort: readers.smtpPort!,
    failingDomain: 'studsar.test',
    delayingDomain: 'vantar.test',
  });
}, 120_000);
afterAll(async () => {
  await postfix?.stop();
  await readers?.stop();
  await engine?.stop();
});

const inboundCount = async (outcome: string) =>
  (await engine.metrics.inboundMail.get()).values.find((v) => v.labels.outcome === outcome)?.value ?? 0;

test('through Postfix: a signatory accepted and bounced later, one delayed, a forged bounce; the round completes', async () => {
  const content = inComingYear(lessebo());
  const bounced = 'borta@studsar.test';
  const delayed = 'full@vantar.test';
  content.signatories[0]!.email = bounced;
  content.signatories[1]!.email = delayed;
  const db = engine.database.db;
  const { promise, actor, coordinatorEmail } = await createDraftOf(db, content, DEFAULT_SETTINGS);
  const requestOf = (address: string) =>
    db.signingRequest.findFirstOrThrow({ where: { round: { promiseId: promise.id }, signatory: { email: address } } });
  await submitForSigning(engine, promise.id, actor);

  // Five requests reach the mailbox through Postfix; the bounced one was taken by Postfix too.
  await engine.mailbox.waitFor((m) => subjectsStartingWith(m, 'Signera medborgarlöftet').length === 5, 60_000);
  // Tried once: Postfix took it (its bounce may already have come back and been applied).
  const failing = await eventually(() => db.emailOutbox.findFirstOrThrow({ where: { promiseId: promise.id, recipient: bounced } }));
  expect(failing.attempts).toBe(1);

  // Postfix's notification comes back to the worker's port; the promise's workflow applies it.
  await eventually(async () => expect((await requestOf(bounced)).status).toBe('UNDELIVERABLE'), 60_000);
  const notices = await engine.mailbox.waitFor(
    (m) => subjectsStartingWith(mailTo(m, coordinatorEmail), 'E-post kom inte fram').length === 1,
    60_000,
  );
  const notice = subjectsStartingWith(mailTo(notices, coordinatorEmail), 'E-post kom inte fram')[0]!;
  expect(notice.text).toContain(bounced);
  expect(notice.text).toContain('5.1.1 Mailbox does not exist');
  expect(postfix.log()).toMatch(/to=<borta@studsar\.test>.*status=bounced/);

  // Postfix's delay warning: a warning on the promise, nothing marked.
  await eventually(async () => {
    const items = (await attentionOf(db, [promise.id])).get(promise.id)!;
    expect(items).toEqual(
      expect.arrayContaining([expect.objectContaining({ kind: 'DELIVERY_DELAYED', address: delayed, status: '4.2.2' })]),
    );
  }, 90_000);
  expect((await requestOf(delayed)).status).toBe('PENDING');

  // A forged notification for another signatory's request, through the same relay: refused.
  const other = content.signatories[2]!.email;
  const otherRow = await db.emailOutbox.findFirstOrThrow({ where: { promiseId: promise.id, recipient: other } });
  const forged = `studs+${otherRow.id}.000000000000@bounces.kommun.test`;
  const forgedBefore = await inboundCount('forged');
  await sendDeliveryReport(
    postfix.port,
    forged,
    deliveryReportOf({ returnPath: forged, recipient: other, action: 'failed', status: '5.1.1', diagnostic: '550 5.1.1 User unknown' }),
  );
  await eventually(async () => expect(await inboundCount('forged')).toBe(forgedBefore + 1), 30_000);
  expect((await requestOf(other)).status).toBe('PENDING');

  // The coordinator corrects both addresses; the requests go out again; everyone signs.
  for (const [previous, email] of [
    [bounced, 'ny.adress@lessebo.example'],
    [delayed, 'annan.adress@lessebo.example'],
  ] as const) {
    await correctAddress(db, { promiseId: promise.id, previous, email, actor });
    await announceAddressCorrection(engine, promise.id, previous, email);
  }
  await engine.mailbox.waitFor((m) => subjectsStartingWith(m, 'Signera medborgarlöftet').length === 7, 60_000);
  await signEveryRequest(engine, promise.id);
  await eventually(
    async () => expect((await db.promiseRecord.findUniqueOrThrow({ where: { id: promise.id } })).status).toBe('ACTIVE'),
    60_000,
  );
  expect(subjectsStartingWith(mailTo(engine.mailbox.messages, coordinatorEmail), 'E-post kom inte fram')).toHaveLength(1);
  expect(await inboundCount('bounce')).toBe(1);
}, 300_000);
