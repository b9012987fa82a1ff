import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { newWebhookSecret, sealText } from '../domain/crypto';
import { WEBHOOK_EVENT_TYPES } from '../domain/webhooks';
import { makeLocalBankIdCertificates } from '../platform/embedded/bankid-certificates';
import { createCoordinator } from '../store/coordinators';
import { startEngine, type Engine } from './support/engine';
import { eventually } from './support/eventually';
import { client, startApi } from './support/http';
import { inComingYear, lessebo } from './support/promises';
import { signEveryRequest } from './support/signing';

// Webhooks end to end (issue 25): a promise's events reach an organisation's HTTPS receiver, which
// verifies each with the standardwebhooks library, in the order they happened, through Temporal,
// woken by the database's notification when each event's transaction commits.

const certificates = makeLocalBankIdCertificates();
const secret = newWebhookSecret();
let engine: Engine;
let api: Awaited<ReturnType<typeof startApi>>;
let receiver: Server;
let url: string;
const received: { id: string; type: string; promiseId: string; timestamp: number }[] = [];

beforeAll(async () => {
  receiver = createServer({ key: certificates.server.key, cert: certificates.server.cert }, (req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      const payload = new Webhook(secret).verify(body, req.headers as Record<string, string>) as {
        type: string;
        data: { promiseId: string };
      };
      received.push({
        id: String(req.headers['webhook-id']),
        type: payload.type,
        promiseId: payload.data.promiseId,
        timestamp: Number(req.headers['webhook-timestamp']),
      });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  url = `https://localhost:${(receiver.address() as AddressInfo).port}/medborgarloften`;
  engine = await startEngine('dev-server', { webhookOutbound: { ca: certificates.ca, allowedNetworks: ['127.0.0.1/32'] } });
  api = await startApi(engine);
});
afterAll(async () => {
  await api?.app.close();
  await engine?.stop();
  await new Promise<void>((resolve) => receiver?.close(() => resolve()));
});

test("a promise's life reaches the organisation's receiver, signed, in order, each event once", async () => {
  const { db } = engine.database;
  const organisation = await db.organisation.create({ data: { kind: 'MUNICIPALITY', name: 'Lessebo' } });
  await db.webhookEndpoint.create({
    data: {
      organisationId: organisation.id,
      url,
      description: 'Diariet',
      events: WEBHOOK_EVENT_TYPES,
      secretSealed: sealText(engine.activityDeps.linkSecret, secret),
    },
  });
  const { token } = await createCoordinator(db, { name: 'Sara Samordnare', email: 'samordnare.webhooks@lessebo.example' });
  const coordinator = client(api.baseUrl, token);
  const content = inComingYear(lessebo());
  const promiseId: string = (await coordinator.post('/api/promises', { content })).json.id;
  await coordinator.post(`/api/promises/${promiseId}/submit`, {});
  await signEveryRequest(engine, promiseId);

  const signatories = content.signatories.length;
  const mine = () => received.filter((r) => r.promiseId === promiseId);
  await eventually(() => expect(mine().map((r) => r.type)).toContain('promise.activated'), 60_000);
  expect(mine().map((r) => r.type)).toEqual([
    'promise.submitted',
    ...Array.from({ length: signatories }, () => 'promise.signed_by_party'),
    'promise.activated',
  ]);
  expect(new Set(mine().map((r) => r.id)).size).toBe(mine().length);
  const deliveries = await db.webhookDelivery.findMany({ where: { promiseId } });
  expect(deliveries.every((d) => d.status === 'DELIVERED' && d.attempts === 1)).toBe(true);
});
