import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { compose } from '../activities/email-templates';
import { permanentReason } from '../activities/failures';
import { sendOnce, tryEach } from '../activities/outbox';
import { createActivities } from '../activities';
import { newLinkSecret, outboxOfReturnPath, sha256Hex } from '../domain/crypto';
import { LocalMailbox } from '../platform/embedded/mailbox';
import { createSmtpMailer, type Mailer } from '../platform/mailer';
import { freePort } from '../platform/net';
import { createDatabase } from '../store/database';
import { findSigningAccess, type RoundPlan } from '../store/signing';
import { createTestDatabase, type TestDatabase } from './support/database';
import { PromiseContentSchema } from '../domain/content';
import { previewSchedule } from '../domain/schedule';
import { DEFAULT_SETTINGS } from '../domain/default-settings';
import { createDraftOf, createLesseboDraft, fixture, signingToken } from './support/promises';

// Activities one by one, as Temporal would retry them: against PostgreSQL and a real SMTP server.

let database: TestDatabase;
let mailbox: LocalMailbox;
let mailer: Mailer;
let smtpDown = false;
const linkSecret = newLinkSecret();
const deps = () => ({ db: database.db, mailer, publicBaseUrl: 'http://localhost:3000', linkSecret });
let crashAfterRelayAccepts = false;

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
      await real.send(message);
      if (crashAfterRelayAccepts) throw new Error('arbetaren dog efter reläets 250');
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
  const activities = createActivities(deps());
  const env = new MockActivityEnvironment();
  const plan: RoundPlan = await env.run(activities.beginSigningRound, {
    promiseId: promise.id,
    roundNumber: 1,
    actor,
    from: 'DRAFT' as const,
  });
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
  const failed = await database.db.emailOutbox.findFirstOrThrow({
    where: { purpose: 'SIGNING_REQUEST', promiseId: { not: null } },
    orderBy: { createdAt: 'desc' },
  });
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

test('a mail the relay accepted just before the worker died goes out again with the same working link', async () => {
  const { activities, env, plan } = await openRound();
  const request = plan.requests[2]!;
  const input = { requestId: request.requestId, kind: 'REQUEST' as const, sequence: 0, deadline: Date.now() + 86_400_000 };
  const before = mailbox.messages.length;

  // The relay says 250, then the worker is gone before the outbox row is marked SENT.
  crashAfterRelayAccepts = true;
  await expect(env.run(activities.sendSigningEmail, input)).rejects.toThrow(/arbetaren dog/);
  crashAfterRelayAccepts = false;
  expect(await env.run(activities.sendSigningEmail, input)).toBe('SENT');

  const delivered = (await mailbox.waitFor((m) => m.length >= before + 2)).slice(before);
  expect(delivered).toHaveLength(2);
  expect(signingToken(delivered[0]!)).toBe(signingToken(delivered[1]!));
  expect(delivered[0]!.messageId).toBe(delivered[1]!.messageId);
  const access = await findSigningAccess(database.db, signingToken(delivered[0]!));
  expect(access?.request.id).toBe(request.requestId);
});

test('an e-mail cut off mid-attempt and no longer needed when retried is closed as ABANDONED, its link kept', async () => {
  const { promise, activities, env, plan } = await openRound();
  const request = plan.requests[3]!;
  const { signatoryId } = await database.db.signingRequest.findUniqueOrThrow({ where: { id: request.requestId } });
  const input = { requestId: request.requestId, kind: 'REQUEST' as const, sequence: 0, deadline: Date.now() + 86_400_000 };
  crashAfterRelayAccepts = true;
  await expect(env.run(activities.sendSigningEmail, input)).rejects.toThrow(/arbetaren dog/);
  crashAfterRelayAccepts = false;
  // The signatory answered through the link that did arrive, before the activity ran again.
  await env.run(activities.recordDecision, {
    requestId: request.requestId,
    decision: 'SIGNED' as const,
    documentSha256: plan.documentSha256,
    actor: { kind: 'SIGNATORY' as const, id: 'x' },
  });
  expect(await env.run(activities.sendSigningEmail, input)).toBe('SKIPPED');
  const row = await database.db.emailOutbox.findUniqueOrThrow({
    where: { idempotencyKey: `sign:${promise.id}:v1:r1:${signatoryId}:REQUEST:0` },
  });
  expect(row).toMatchObject({ status: 'ABANDONED', attempts: 1 });
  expect(await database.db.accessToken.count({ where: { outboxKey: row.idempotencyKey, revokedAt: null } })).toBe(1);
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
  const input = {
    promiseId: promise.id,
    status: 'ACTIVE' as const,
    action: 'ACTIVATED' as const,
    actor: { kind: 'SYSTEM' as const, id: 'workflow' },
    key: `round:${promise.id}:1`,
  };
  await env.run(activities.recordStatus, input);
  await env.run(activities.recordStatus, input);
  expect(await database.db.auditEvent.count({ where: { promiseId: promise.id, action: 'ACTIVATED' } })).toBe(1);
});

test('a renewal retried after an SMTP outage is one draft, and its one e-mail still lists the carried-over commitments', async () => {
  const { promise, actor } = await createLesseboDraft(database.db);
  const activities = createActivities(deps());
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
  // Every commitment carried over (nothing was reported), each named by its text in the e-mail.
  const commitments = await database.db.commitment.findMany({ where: { version: { promiseId: renewalId } } });
  expect(commitments.length).toBeGreaterThan(0);
  expect(commitments.every((c) => c.carriedOverFromId !== null)).toBe(true);
  const listed = sent[0]!.text
    .split('\n')
    .filter((line) => line.startsWith('• '))
    .map((line) => line.slice(2));
  expect(listed.sort()).toEqual(commitments.map((c) => c.text).sort());
});

test('renewing Åstorp 2023–2025 gives a valid draft: 2026-01-01 on, the same length, years in the title moved', async () => {
  const content = { ...fixture('astorp-2023-2025'), title: 'Medborgarlöfte Åstorp 2023–2025' };
  const { promise, actor } = await createDraftOf(database.db, content, DEFAULT_SETTINGS);
  const activities = createActivities(deps());
  const env = new MockActivityEnvironment();
  await env.run(activities.scheduleOccurrences, { promiseId: promise.id });
  const { renewalId }: { renewalId: string } = await env.run(activities.launchRenewal, {
    promiseId: promise.id,
    actor,
    scheduledFor: Date.now(),
  });

  const renewal = await database.db.promiseRecord.findUniqueOrThrow({ where: { id: renewalId }, include: { versions: true } });
  expect(renewal.title).toBe('Medborgarlöfte Åstorp 2026–2028');
  expect([renewal.periodStart.toISOString().slice(0, 10), renewal.periodEnd.toISOString().slice(0, 10)]).toEqual([
    '2026-01-01',
    '2028-10-26',
  ]);
  // What the schedule preview and the pages read back is a valid draft.
  const stored = PromiseContentSchema.parse(renewal.versions[0]!.content);
  expect(previewSchedule(stored, DEFAULT_SETTINGS.activities).occurrences.length).toBeGreaterThan(0);
});

test('a batch of e-mails goes out at once; one that fails holds up none of the others, and its failure is raised after', async () => {
  const started: string[] = [];
  let allStarted: () => void = () => undefined;
  const everyoneAsked = new Promise<void>((resolve) => (allStarted = resolve));
  const finished: string[] = [];
  const send = async (to: string) => {
    started.push(to);
    if (started.length === 3) allStarted();
    // Each waits for all three to have started: one after another, this would never end.
    await everyoneAsked;
    if (to === 'studsar') throw new Error('550 okänd mottagare');
    finished.push(to);
    return to;
  };
  await expect(tryEach(['a', 'studsar', 'b'], send)).rejects.toThrow('550 okänd mottagare');
  expect(finished).toEqual(['a', 'b']);
  await expect(tryEach(['a', 'b'], send)).resolves.toEqual(['a', 'b']);
});

test("with a bounce mailbox, each e-mail's return path names its outbox row under a check only the installation makes; without, it is MAIL_FROM", async () => {
  const compose = () => ({ subject: 'Returadress', paragraphs: ['Hej.'], links: [] });
  const send = (to: string, bounceAddress?: string) =>
    sendOnce(
      { ...deps(), ...(bounceAddress ? { bounceAddress } : {}) },
      { idempotencyKey: `returadress:${to}`, to, purpose: 'WITHDRAWN', compose },
    );
  await send('med-studs@lessebo.example', 'studs@lessebo.example');
  await send('utan-studs@lessebo.example');
  const mail = (to: string) => mailbox.waitFor((m) => m.some((x) => x.to.includes(to))).then((m) => m.find((x) => x.to.includes(to))!);
  const bounced = await mail('med-studs@lessebo.example');
  const row = await database.db.emailOutbox.findUniqueOrThrow({ where: { idempotencyKey: 'returadress:med-studs@lessebo.example' } });
  expect(bounced.returnPath).toMatch(new RegExp(`^studs\\+${row.id}\\.[0-9a-f]{12}@lessebo\\.example$`));
  expect(outboxOfReturnPath(linkSecret, bounced.returnPath, 'studs@lessebo.example')).toBe(row.id);
  expect((await mail('utan-studs@lessebo.example')).returnPath).toBe('test@test.example');
});

describe('the failure policy', () => {
  test('text the database cannot store is a final failure at once, and nothing is written', async () => {
    const { promise, activities, env, plan } = await openRound();
    const audit = await database.db.auditEvent.count({ where: { promiseId: promise.id } });
    const decline = {
      requestId: plan.requests[0]!.requestId,
      decision: 'DECLINED' as const,
      reason: 'Nej\u0000',
      documentSha256: plan.documentSha256,
      actor: { kind: 'SIGNATORY' as const, id: 'x' },
    };
    const failure = await env.run(activities.recordDecision, decline).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect(failure).toMatchObject({
      type: 'INVALID',
      nonRetryable: true,
      message: expect.stringContaining('reason: innehåller tecken som inte kan lagras'),
    });
    expect(await database.db.signature.count({ where: { requestId: decline.requestId } })).toBe(0);
    expect(await database.db.auditEvent.count({ where: { promiseId: promise.id } })).toBe(audit);
  });

  test("PostgreSQL's own refusals of the data are permanent; a unique violation too", async () => {
    const refusal = (write: Promise<unknown>) =>
      write.then(
        () => undefined,
        (error: unknown) => permanentReason(error),
      );
    expect(await refusal(database.db.coordinator.create({ data: { name: 'a\u0000b', email: 'nul@x.example' } }))).toMatchObject({
      type: 'INVALID_DATA',
    });
    expect(await refusal(database.db.coordinator.create({ data: { name: 'a\ud800b', email: 'surrogate@x.example' } }))).toMatchObject({
      type: 'INVALID_DATA',
      message: expect.stringContaining('surrogattecken, U+D800'),
    });
    // Refused, not stored with U+FFFD in its place (the pg driver's encoding would do that).
    expect(await database.db.coordinator.count({ where: { email: 'surrogate@x.example' } })).toBe(0);
    expect(
      await refusal(database.db.auditEvent.create({ data: { actor: 'x', action: 'y', details: { text: 'a\u0000b' } } })),
    ).toMatchObject({ type: 'INVALID_DATA' });
    await database.db.coordinator.create({ data: { name: 'A', email: 'twice@x.example' } });
    expect(await refusal(database.db.coordinator.create({ data: { name: 'A', email: 'twice@x.example' } }))).toMatchObject({
      type: 'INVALID_DATA',
    });
    expect(
      await refusal(database.db.signingRequest.findUniqueOrThrow({ where: { id: '00000000-0000-0000-0000-000000000000' } })),
    ).toMatchObject({ type: 'NOT_FOUND' });
  });

  test('a database that does not answer is transient: the activity fails retryably', async () => {
    const unreachable = createDatabase({ url: `postgres://postgres@127.0.0.1:${await freePort()}/x`, poolSize: 1 });
    const activities = createActivities({ ...deps(), db: unreachable });
    const failure = await new MockActivityEnvironment()
      .run(activities.scheduleOccurrences, { promiseId: '00000000-0000-0000-0000-000000000000' })
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(Error);
    expect(failure).not.toBeInstanceOf(ApplicationFailure);
    expect(permanentReason(failure)).toBeUndefined();
    await unreachable.$disconnect();
  });
});

test('no address gets more than the daily limit: the rest are held back and recorded, once each', async () => {
  const { promise } = await createLesseboDraft(database.db);
  const limited = { ...deps(), dailyLimitPerRecipient: 3 };
  const to = `flod-${promise.id}@lessebo.example`;
  const before = mailbox.messages.length;
  const results = [];
  for (let sequence = 0; sequence < 5; sequence++) {
    const email = {
      idempotencyKey: `test:${promise.id}:${sequence}`,
      promiseId: promise.id,
      to,
      purpose: 'FOLLOW_UP_REMINDER' as const,
      compose: () => compose(`Nr ${sequence}`, ['t']),
    };
    results.push(await sendOnce(limited, email));
    // A retry of a held-back e-mail stays held back.
    if (sequence === 4) results.push(await sendOnce(limited, email));
  }
  expect(results).toEqual(['SENT', 'SENT', 'SENT', 'SUPPRESSED', 'SUPPRESSED', 'SUPPRESSED']);
  expect((await mailbox.waitFor((m) => m.length >= before + 3)).slice(before).filter((m) => m.to.includes(to))).toHaveLength(3);
  const rows = await database.db.emailOutbox.findMany({ where: { recipient: to }, orderBy: { idempotencyKey: 'asc' } });
  expect(rows.map((r) => r.status)).toEqual(['SENT', 'SENT', 'SENT', 'SUPPRESSED', 'SUPPRESSED']);
  expect(rows[3]!.lastError).toContain('3 e-postmeddelanden det senaste dygnet');
  expect(await database.db.auditEvent.count({ where: { promiseId: promise.id, action: 'EMAIL_SUPPRESSED' } })).toBe(2);
});

test('the daily limit holds for e-mails sent at once, and an attempt more than a day old no longer counts', async () => {
  const { promise } = await createLesseboDraft(database.db);
  const limited = { ...deps(), dailyLimitPerRecipient: 3 };
  const to = `samtidigt-${promise.id}@lessebo.example`;
  const email = (sequence: number) => ({
    idempotencyKey: `test:${promise.id}:at-once:${sequence}`,
    promiseId: promise.id,
    to,
    purpose: 'FOLLOW_UP_REMINDER' as const,
    compose: () => compose(`Nr ${sequence}`, ['t']),
  });
  const atOnce = await Promise.all([0, 1, 2, 3, 4].map((sequence) => sendOnce(limited, email(sequence))));
  expect(atOnce.filter((result) => result === 'SENT')).toHaveLength(3);
  expect(atOnce.filter((result) => result === 'SUPPRESSED')).toHaveLength(2);
  await database.db.emailOutbox.updateMany({ where: { recipient: to }, data: { lastAttemptAt: new Date(Date.now() - 25 * 3_600_000) } });
  expect(await sendOnce(limited, email(5))).toBe('SENT');
});

test("a confirmation sent again after a crash has the same words: its list of signatories does not follow the rows' order", async () => {
  const { plan, activities, env } = await openRound();
  const { db } = database;
  const requests = await db.signingRequest.findMany({ where: { roundId: plan.roundId }, include: { signatory: true } });
  // An update moves a row to the end of the table, as signing and reminders do in a real round.
  await db.signingRequest.update({ where: { id: requests[0]!.id }, data: { remindersSent: 1 } });
  const before = mailbox.messages.length;
  await env.run(activities.sendActivationConfirmations, { roundId: plan.roundId });
  const confirmation = mailbox.messages.slice(before).find((m) => m.subject.startsWith('Medborgarlöftet är signerat'))!;
  const listed = confirmation.text.split('\n').filter((line) => line.startsWith('• '));
  expect(listed).toHaveLength(requests.length);
  expect(listed).toEqual([...listed].sort((a, b) => a.localeCompare(b, 'sv')));
});
