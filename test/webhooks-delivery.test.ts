import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { Webhook } from 'standardwebhooks';
import { createWebhookActivities } from '../activities/webhooks';
import { newLinkSecret, newWebhookSecret, sealText } from '../domain/crypto';
import { makeLocalBankIdCertificates } from '../platform/embedded/bankid-certificates';
import { LocalMailbox } from '../platform/embedded/mailbox';
import { createSmtpMailer, type Mailer } from '../platform/mailer';
import { createOutbound } from '../platform/outbound';
import { recordAudit } from '../store/audit';
import { createCoordinator } from '../store/coordinators';
import { createTestDatabase, type TestDatabase } from './support/database';
import { createLesseboDraft } from './support/promises';

// One webhook delivery against a real HTTPS receiver that verifies it with the standardwebhooks
// library (issue 25): delivered once; a busy receiver is tried again with the same id, after its
// Retry-After; a 4xx other than 408/429, or an address that is not public, is final; an endpoint that
// has failed for days is switched off and its coordinators told once.

const certificates = makeLocalBankIdCertificates();
const linkSecret = newLinkSecret();
const secret = newWebhookSecret();
let database: TestDatabase;
let mailbox: LocalMailbox;
let mailer: Mailer;
let server: Server;
let port: number;
/** What the receiver answers next, and what it received (verified). */
const answers: { status: number; headers?: Record<string, string> }[] = [];
const received: { id: string; type: string }[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
  mailbox = new LocalMailbox();
  await mailbox.start();
  mailer = createSmtpMailer({ url: mailbox.smtpUrl, from: 'test@test.example' });
  server = createServer({ key: certificates.server.key, cert: certificates.server.cert }, (req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      const payload = new Webhook(secret).verify(body, req.headers as Record<string, string>) as { type: string };
      received.push({ id: String(req.headers['webhook-id']), type: payload.type });
      const answer = answers.shift() ?? { status: 204 };
      res.writeHead(answer.status, answer.headers).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  mailer?.close();
  await mailbox?.stop();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await database?.drop();
});

/** A delivery of an event to a new endpoint at `url` (the earlier tests' endpoints switched off first). */
async function deliveryOf(url: string) {
  const { db } = database;
  await db.webhookEndpoint.updateMany({ data: { disabledAt: new Date() } });
  const { promise } = await createLesseboDraft(db);
  const organisation = await db.organisation.upsert({
    where: { kind_name: { kind: 'MUNICIPALITY', name: 'Lessebo' } },
    create: { kind: 'MUNICIPALITY', name: 'Lessebo' },
    update: {},
  });
  await db.webhookEndpoint.create({
    data: {
      organisationId: organisation.id,
      url,
      description: 'Diariet',
      events: ['promise.activated'],
      secretSealed: sealText(linkSecret, secret),
    },
  });
  await db.$transaction((tx) => recordAudit(tx, { promiseId: promise.id, actor: { kind: 'SYSTEM', id: 'test' }, action: 'ACTIVATED' }));
  return (await db.webhookDelivery.findFirstOrThrow({ where: { promiseId: promise.id } })).id;
}

const activities = (allowedNetworks: string[]) =>
  createWebhookActivities({
    db: database.db,
    mailer,
    linkSecret,
    publicBaseUrl: 'https://loften.example',
    outbound: createOutbound({ ca: certificates.ca, allowedNetworks, timeoutMs: 2_000 }),
  });

test('delivered once with a verified signature; a busy receiver gets the same id again, after its Retry-After', async () => {
  const deliveryId = await deliveryOf(`https://localhost:${port}/hook`);
  const { deliverWebhook } = activities(['127.0.0.1/32']);
  const env = new MockActivityEnvironment();
  answers.push({ status: 503, headers: { 'retry-after': '7' } });
  const failure = await env.run(deliverWebhook, { deliveryId }).catch((error: unknown) => error);
  expect(failure).toBeInstanceOf(ApplicationFailure);
  expect(failure).toMatchObject({ type: 'WEBHOOK_NOT_DELIVERED', nonRetryable: false, nextRetryDelay: '7s' });
  expect(await env.run(deliverWebhook, { deliveryId })).toEqual({ status: 'DELIVERED' });
  expect(await env.run(deliverWebhook, { deliveryId })).toEqual({ status: 'SKIPPED' });
  expect(received).toEqual([
    { id: deliveryId, type: 'promise.activated' },
    { id: deliveryId, type: 'promise.activated' },
  ]);
  expect(await database.db.webhookDelivery.findUniqueOrThrow({ where: { id: deliveryId } })).toMatchObject({
    status: 'DELIVERED',
    attempts: 2,
    lastStatusCode: 204,
  });
});

test('a 410 is final; an address that is not public is refused without a request', async () => {
  const gone = await deliveryOf(`https://localhost:${port}/borta`);
  answers.push({ status: 410 });
  const env = new MockActivityEnvironment();
  expect(await env.run(activities(['127.0.0.1/32']).deliverWebhook, { deliveryId: gone })).toEqual({ status: 'FAILED' });
  const before = received.length;
  const refused = await deliveryOf(`https://localhost:${port}/intern`);
  expect(await env.run(activities([]).deliverWebhook, { deliveryId: refused })).toEqual({ status: 'FAILED' });
  expect(received.length).toBe(before);
  expect(await database.db.webhookDelivery.findUniqueOrThrow({ where: { id: refused } })).toMatchObject({
    status: 'FAILED',
    lastError: expect.stringContaining('som inte är en publik adress'),
  });
});

test('an endpoint failing for three days is switched off and its coordinators told once; one that answers again is not', async () => {
  const { db } = database;
  const env = new MockActivityEnvironment();
  const { failWebhookDelivery, deliverWebhook } = activities(['127.0.0.1/32']);
  const endpointOf = async (deliveryId: string) =>
    db.webhookEndpoint.findUniqueOrThrow({
      where: { id: (await db.webhookDelivery.findUniqueOrThrow({ where: { id: deliveryId } })).endpointId },
    });

  // A delivery that arrives clears how long an endpoint has been failing.
  const answered = await deliveryOf(`https://localhost:${port}/svarar-igen`);
  const since = new Date(Date.now() - 4 * 86_400_000);
  await db.webhookEndpoint.update({ where: { id: (await endpointOf(answered)).id }, data: { failingSince: since } });
  expect(await env.run(deliverWebhook, { deliveryId: answered })).toEqual({ status: 'DELIVERED' });
  expect((await endpointOf(answered)).failingSince).toBeNull();

  // The first failure marks when it began; the endpoint stays on.
  const deliveryId = await deliveryOf(`https://localhost:${port}/trasig`);
  const { id: endpointId, organisationId } = await endpointOf(deliveryId);
  const { coordinator } = await createCoordinator(db, { name: 'Sara Samordnare', email: 'sara.webhook@lessebo.example' });
  await db.organisationMember.create({ data: { organisationId, coordinatorId: coordinator.id } });
  await env.run(failWebhookDelivery, { deliveryId });
  expect(await endpointOf(deliveryId)).toMatchObject({ failingSince: expect.any(Date), disabledAt: null });

  // Failing for more than three days: switched off, told once however often the step is retried.
  await db.webhookEndpoint.update({ where: { id: endpointId }, data: { failingSince: new Date(Date.now() - 3 * 86_400_000 - 60_000) } });
  await db.webhookDelivery.update({ where: { id: deliveryId }, data: { status: 'PENDING' } });
  await env.run(failWebhookDelivery, { deliveryId });
  await env.run(failWebhookDelivery, { deliveryId });
  expect(await endpointOf(deliveryId)).toMatchObject({
    disabledAt: expect.any(Date),
    disabledReason: 'Varje leverans har misslyckats i 3 dagar.',
  });
  await mailbox.waitFor((messages) => messages.some((m) => m.to.includes('sara.webhook@lessebo.example')));
  await new Promise((resolve) => setTimeout(resolve, 500));
  const mails = mailbox.messages.filter((m) => m.to.includes('sara.webhook@lessebo.example'));
  expect(mails).toHaveLength(1);
  expect(mails[0]!.subject).toBe('Webhook-mottagare avstängd: Diariet');
  expect(mails[0]!.text).toContain(`https://loften.example/app/webhooks/${endpointId}`);
  const audit = await db.auditEvent.findMany({ where: { action: 'WEBHOOK_ENDPOINT_DISABLED' } });
  expect(audit.map((event) => (event.details as { endpointId: string }).endpointId)).toEqual([endpointId]);
});
