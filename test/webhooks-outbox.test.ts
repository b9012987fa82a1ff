import { sealText, newWebhookSecret } from '../domain/crypto';
import { recordAudit } from '../store/audit';
import { createTestDatabase, type TestDatabase } from './support/database';
import { createLesseboDraft } from './support/promises';

// Webhook deliveries are an outbox (issue 25): written in the transaction that records the event,
// for each enabled endpoint of the promise's organisations that takes the event; a retried event
// writes none twice.

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.drop();
});

test("an event reaches its organisations' endpoints that take it, once, and no one else's", async () => {
  const { db } = database;
  const { promise } = await createLesseboDraft(db);
  const organisation = (kind: 'MUNICIPALITY' | 'POLICE_AREA', name: string) =>
    db.organisation.upsert({ where: { kind_name: { kind, name } }, create: { kind, name }, update: {} });
  const endpoint = async (organisationId: string, events: string[], disabled = false) =>
    (
      await db.webhookEndpoint.create({
        data: {
          organisationId,
          url: 'https://diarium.lessebo.example/webhooks',
          description: 'Diariet',
          events,
          secretSealed: sealText('nyckel', newWebhookSecret()),
          ...(disabled ? { disabledAt: new Date(), disabledReason: 'Avstängd' } : {}),
        },
      })
    ).id;
  const lessebo = await organisation('MUNICIPALITY', 'LESSEBO');
  const elsewhere = await organisation('MUNICIPALITY', 'Växjö');
  const takes = await endpoint(lessebo.id, ['promise.activated', 'report.added']);
  await endpoint(lessebo.id, ['promise.withdrawn']);
  await endpoint(lessebo.id, ['promise.activated'], true);
  await endpoint(elsewhere.id, ['promise.activated']);

  const activated = {
    promiseId: promise.id,
    actor: { kind: 'SYSTEM' as const, id: 'test' },
    action: 'ACTIVATED' as const,
    idempotencyKey: 'aktiverat',
  };
  await db.$transaction((tx) => recordAudit(tx, activated));
  await db.$transaction((tx) => recordAudit(tx, activated));
  await db.$transaction((tx) => recordAudit(tx, { ...activated, action: 'EMAIL_SENT', idempotencyKey: 'e-post' }));

  const deliveries = await db.webhookDelivery.findMany();
  expect(deliveries).toEqual([
    expect.objectContaining({ endpointId: takes, promiseId: promise.id, eventType: 'promise.activated', status: 'PENDING' }),
  ]);
  expect(deliveries[0]!.id).toMatch(/^msg_[0-9a-f-]{36}$/);
});
