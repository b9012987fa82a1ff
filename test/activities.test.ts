import { MockActivityEnvironment } from '@temporalio/testing';
import { createActivities } from '../activities';
import { sha256Hex } from '../domain/crypto';
import { LocalMailbox } from '../platform/embedded/mailbox';
import { createSmtpMailer, type Mailer } from '../platform/mailer';
import type { RoundPlan } from '../store/signing';
import { createTestDatabase, type TestDatabase } from './support/database';
import { createLesseboDraft, signingToken } from './support/promises';

// Activities one by one, as Temporal would retry them: against PostgreSQL and a real SMTP server.

let database: TestDatabase;
let mailbox: LocalMailbox;
let mailer: Mailer;
let smtpDown = false;

beforeAll(async () => {
  database = await createTestDatabase();
  mailbox = new LocalMailbox();
  await mailbox.start();
  const real = createSmtpMailer({ url: mailbox.smtpUrl, from: 'test@test.example' });
  // An SMTP outage, switched on and off by the test; otherwise the real server.
  mailer = {
    ...real,
    send: async (message) => {
      if (smtpDown) throw new Error('connect ECONNREFUSED 127.0.0.1:25');
      return real.send(message);
    },
  };
});
afterAll(async () => {
  mailer.close();
  await mailbox.stop();
  await database.drop();
});

async function openRound() {
  const { promise, actor } = await createLesseboDraft(database.db);
  const activities = createActivities({ db: database.db, mailer, publicBaseUrl: 'http://localhost:3000' });
  const env = new MockActivityEnvironment();
  const plan: RoundPlan = await env.run(activities.beginSigningRound, { promiseId: promise.id, roundNumber: 1, actor, from: 'DRAFT' as const });
  return { promise, actor, activities, env, plan };
}

test('beginning the same round twice creates one round and one request per signatory', async () => {
  const { promise, actor, activities, env, plan } = await openRound();
  const again = await env.run(activities.beginSigningRound, { promiseId: promise.id, roundNumber: 1, actor, from: 'DRAFT' as const });
  expect(again).toEqual(plan);
  expect(await database.db.signingRound.count({ where: { promiseId: promise.id } })).toBe(1);
  expect(await database.db.signingRequest.count({ where: { round: { promiseId: promise.id } } })).toBe(8);
});

test('a retried signing e-mail is sent once; a retry after an SMTP failure sends once, with a working link', async () => {
  const { activities, env, plan } = await openRound();
  const request = plan.requests[0]!;
  const input = { requestId: request.requestId, kind: 'REQUEST' as const, sequence: 0, deadline: Date.now() + 86_400_000 };
  const before = mailbox.messages.length;

  smtpDown = true;
  await expect(env.run(activities.sendSigningEmail, input)).rejects.toThrow(/ECONNREFUSED/);
  smtpDown = false;
  const failed = await database.db.emailOutbox.findFirstOrThrow({ where: { purpose: 'SIGNING_REQUEST', promiseId: { not: null } }, orderBy: { createdAt: 'desc' } });
  expect(failed).toMatchObject({ status: 'PENDING', attempts: 1, lastError: expect.stringContaining('ECONNREFUSED') });

  expect(await env.run(activities.sendSigningEmail, input)).toBe('SENT');
  expect(await env.run(activities.sendSigningEmail, input)).toBe('ALREADY_SENT');
  const sent = await mailbox.waitFor((m) => m.length > before);
  expect(sent.slice(before)).toHaveLength(1);

  // The one token that exists is the one in the delivered e-mail.
  const tokens = await database.db.accessToken.findMany({ where: { signingRequestId: request.requestId } });
  expect(tokens).toHaveLength(1);
  expect(tokens[0]!.tokenHash).toBe(sha256Hex(signingToken(sent[sent.length - 1]!)));
  const row = await database.db.emailOutbox.findUniqueOrThrow({ where: { idempotencyKey: failed.idempotencyKey } });
  expect(row).toMatchObject({ status: 'SENT', attempts: 2, lastError: null });
  expect(await database.db.auditEvent.count({ where: { idempotencyKey: `email:${row.idempotencyKey}` } })).toBe(1);
});

test('recording the same decision twice writes one signature and one audit event', async () => {
  const { promise, activities, env, plan } = await openRound();
  const decision = {
    requestId: plan.requests[1]!.requestId,
    decision: 'SIGNED' as const,
    documentSha256: plan.documentSha256,
    actor: { kind: 'SIGNATORY' as const, id: 'x', ipAddress: '127.0.0.1' },
  };
  await env.run(activities.recordDecision, decision);
  await env.run(activities.recordDecision, decision);
  expect(await database.db.signature.count({ where: { requestId: decision.requestId } })).toBe(1);
  expect(await database.db.auditEvent.count({ where: { promiseId: promise.id, action: 'SIGNED' } })).toBe(1);
});

test('a status change retried writes its audit event once', async () => {
  const { promise, activities, env } = await openRound();
  const input = { promiseId: promise.id, status: 'ACTIVE' as const, action: 'ACTIVATED', actor: { kind: 'SYSTEM' as const, id: 'workflow' }, key: `round:${promise.id}:1` };
  await env.run(activities.recordStatus, input);
  await env.run(activities.recordStatus, input);
  expect(await database.db.auditEvent.count({ where: { promiseId: promise.id, action: 'ACTIVATED' } })).toBe(1);
});

test('a renewal retried after an SMTP outage is one draft, and its one e-mail still lists the carried-over commitments', async () => {
  const { promise, actor } = await createLesseboDraft(database.db);
  const activities = createActivities({ db: database.db, mailer, publicBaseUrl: 'http://localhost:3000' });
  const env = new MockActivityEnvironment();
  await env.run(activities.scheduleOccurrences, { promiseId: promise.id });
  const input = { promiseId: promise.id, actor, scheduledFor: Date.now() };
  const before = mailbox.messages.length;

  smtpDown = true;
  await expect(env.run(activities.launchRenewal, input)).rejects.toThrow(/ECONNREFUSED/);
  smtpDown = false;
  const { renewalId }: { renewalId: string } = await env.run(activities.launchRenewal, input);

  expect(await database.db.promiseRecord.count({ where: { predecessorId: promise.id } })).toBe(1);
  const sent = (await mailbox.waitFor((m) => m.length > before)).slice(before);
  expect(sent).toHaveLength(1);
  const keys = (await database.db.commitment.findMany({ where: { version: { promiseId: renewalId } } })).map((c) => c.key);
  expect(keys.length).toBeGreaterThan(0);
  expect(sent[0]!.text).toContain(`markerade för att föras över: ${[...keys].sort().join(', ')}.`);
});
