import { promiseWorkflowId, signingRoundWorkflowId } from '../domain/identifiers';
import { moveSigningDeadline } from '../api/actions';
import { decide, reviseDuringSigning, submitForSigning, withdraw } from '../api/commands';
import { stockholmDateOf } from '../domain/calendar';
import { deadlineOnDate } from '../domain/signing-timeline';
import { formatDate } from '../activities/email-templates';
import { htmlErrors } from './support/html-check';
import { findSigningAccess, openRoundOf } from '../store/signing';
import type { Actor } from '../domain/actor';
import { startEngine, type Engine } from './support/engine';
import { eventually } from './support/eventually';
import { recordHistory } from './support/histories';
import { createLesseboDraft, inComingYear, lessebo, mailTo, signingToken, subjectsStartingWith } from './support/promises';

// The signing round on Temporal's time-skipping server, at the default durations: days of
// reminders and a 30-day deadline pass in seconds. Eight signatories (Lessebo 2020).

const SIGNATORIES = 8;
let engine: Engine;

beforeAll(async () => {
  engine = await startEngine('time-skipping');
});
afterAll(async () => {
  await engine?.stop();
});
beforeEach(() => {
  engine.mailbox.messages.length = 0;
});

async function requestsFor(prefix: string, count: number) {
  const messages = await engine.mailbox.waitFor((m) => subjectsStartingWith(m, prefix).length >= count);
  return subjectsStartingWith(messages, prefix);
}

async function signWith(
  mail: { text: string; subject: string } & Parameters<typeof signingToken>[0],
  decision: 'SIGN' | 'DECLINE' = 'SIGN',
  reason?: string,
) {
  const access = await findSigningAccess(engine.database.db, signingToken(mail));
  if (!access) throw new Error('okänd länk');
  const actor: Actor = { kind: 'SIGNATORY', id: access.request.signatoryId };
  return decide(engine, access.request.round.workflowId, {
    signingRequestId: access.request.id,
    decision,
    reason,
    documentSha256: access.request.round.version.sha256,
    actor,
  });
}

async function promiseRecord(id: string) {
  return engine.database.db.promiseRecord.findUniqueOrThrow({ where: { id } });
}

function waitForStatus(id: string, status: string) {
  return eventually(async () => {
    const record = await promiseRecord(id);
    expect(record.status).toBe(status);
    return record;
  });
}

test('all eight sign in parallel: ACTIVE, confirmations to every party and the coordinator', async () => {
  const { promise, actor, coordinatorEmail } = await createLesseboDraft(engine.database.db);
  const submitted = await submitForSigning(engine, promise.id, actor);
  expect(submitted).toEqual({ status: 'SIGNING', roundNumber: 1, versionNumber: 1 });

  const requests = await requestsFor('Signera medborgarlöftet', SIGNATORIES);
  expect(new Set(requests.flatMap((m) => m.to)).size).toBe(SIGNATORIES);
  for (const mail of requests) await signWith(mail);

  const record = await waitForStatus(promise.id, 'ACTIVE');
  expect(record.statusReason).toBeNull();
  const confirmations = await requestsFor('Medborgarlöftet är signerat', SIGNATORIES + 1);
  expect(mailTo(confirmations, coordinatorEmail)).toHaveLength(1);
  // Who signed is a list, and the notice leads to the public page and the signed PDF.
  const { html } = confirmations[0]!;
  expect(html.match(/<li>/g)).toHaveLength(SIGNATORIES);
  expect(html).toContain(`<a href="http://localhost:3000/loften/${promise.id}">`);
  expect(html).toContain(`<a href="http://localhost:3000/loften/${promise.id}/loftet.pdf">`);
  expect(html).toMatch(/<p lang="en"><small>In English: /);
  // Every e-mail of the round is a valid HTML document.
  const sent = engine.mailbox.messages.map((m) => ({ name: m.subject, html: m.html }));
  expect(await htmlErrors(sent)).toEqual([]);

  const signatures = await engine.database.db.signature.findMany({ where: { request: { round: { promiseId: promise.id } } } });
  expect(signatures).toHaveLength(SIGNATORIES);
  const version = await engine.database.db.documentVersion.findFirstOrThrow({ where: { promiseId: promise.id } });
  expect(signatures.every((s) => s.decision === 'SIGNED' && s.documentSha256 === version.sha256)).toBe(true);
  const round = await engine.database.db.signingRound.findFirstOrThrow({ where: { promiseId: promise.id } });
  expect(round.status).toBe('COMPLETED');
  await recordHistory(engine, signingRoundWorkflowId(promise.id, 1), 'signing-round-all-signed');
});

test('signatures leave the round’s timer alone: it is started once for the next reminder, never cancelled and started again', async () => {
  const { promise, actor } = await createLesseboDraft(engine.database.db);
  await submitForSigning(engine, promise.id, actor);
  const requests = await requestsFor('Signera medborgarlöftet', SIGNATORIES);
  for (const mail of requests) await signWith(mail);
  await waitForStatus(promise.id, 'ACTIVE');
  const history = await engine.client.workflow.getHandle(signingRoundWorkflowId(promise.id, 1)).fetchHistory();
  const events = history.events ?? [];
  expect(events.filter((e) => e.markerRecordedEventAttributes).length).toBeGreaterThanOrEqual(1);
  expect(events.filter((e) => e.timerCanceledEventAttributes)).toHaveLength(0);
  expect(events.filter((e) => e.timerStartedEventAttributes)).toHaveLength(1);
});

test('a decline sends the promise back to DRAFT with the reason, and tells the coordinator', async () => {
  const { promise, actor, coordinatorEmail } = await createLesseboDraft(engine.database.db);
  await submitForSigning(engine, promise.id, actor);
  const requests = await requestsFor('Signera medborgarlöftet', SIGNATORIES);
  await signWith(requests[0]!);
  await signWith(requests[1]!, 'DECLINE', 'Vi behöver förankra texten i styrelsen först.');

  const record = await waitForStatus(promise.id, 'DRAFT');
  expect(record.statusReason).toMatch(/^Avböjt av .+: Vi behöver förankra texten i styrelsen först\.$/);
  const notice = await requestsFor('Avböjt:', 1);
  expect(notice[0]!.to).toEqual([coordinatorEmail]);
  expect(notice[0]!.text).toContain('Vi behöver förankra texten i styrelsen först.');
  const round = await engine.database.db.signingRound.findFirstOrThrow({ where: { promiseId: promise.id } });
  expect(round.status).toBe('DECLINED');
  await expect(signWith(requests[2]!)).rejects.toThrow();

  // The other seven are told that the round stopped; the one who had signed, that it must be done again.
  const stopped = await requestsFor('Signeringen avbröts', SIGNATORIES - 1);
  expect(stopped).toHaveLength(SIGNATORIES - 1);
  expect(stopped.flatMap((m) => m.to)).not.toContain(requests[1]!.to[0]);
  expect(mailTo(stopped, requests[0]!.to[0]!)[0]!.text).toContain('Din signatur gällde den här omgången');
  expect(mailTo(stopped, requests[2]!.to[0]!)[0]!.text).toContain('Du behöver inte göra något nu');
});

test('nobody signs: four reminders, a warning and an escalation, then DRAFT when the 30 days are up', async () => {
  const { promise, actor, coordinatorEmail } = await createLesseboDraft(engine.database.db);
  const startedAt = await engine.env.currentTimeMs();
  await submitForSigning(engine, promise.id, actor);
  await requestsFor('Signera medborgarlöftet', SIGNATORIES);

  // Awaiting the round's result lets the test server skip time until the round ends.
  await engine.client.workflow.getHandle(signingRoundWorkflowId(promise.id, 1)).result();
  const elapsedDays = ((await engine.env.currentTimeMs()) - startedAt) / 86_400_000;
  expect(elapsedDays).toBeGreaterThanOrEqual(30);
  expect(elapsedDays).toBeLessThan(31);

  const record = await waitForStatus(promise.id, 'DRAFT');
  expect(record.statusReason).toBe('Tiden för signering gick ut innan alla hade signerat.');
  const messages = await engine.mailbox.waitFor((m) => subjectsStartingWith(m, 'Signeringen löpte ut').length === 1);
  for (const signatory of lessebo().signatories) {
    const mine = mailTo(messages, signatory.email).map((m) => m.subject.split(':')[0]);
    expect(mine).toEqual([
      'Signera medborgarlöftet',
      'Påminnelse 1',
      'Påminnelse 2',
      'Påminnelse 3',
      'Påminnelse 4',
      expect.stringMatching(/^Snart för sent/),
    ]);
  }
  expect(mailTo(messages, coordinatorEmail).map((m) => m.subject.split(':')[0])).toEqual(['Signaturer saknas', 'Signeringen löpte ut']);
  await eventually(async () => {
    const outbox = await engine.database.db.emailOutbox.findMany({ where: { promiseId: promise.id } });
    expect(outbox).toHaveLength(SIGNATORIES * 6 + 2);
    expect(outbox.filter((row) => row.status !== 'SENT' || row.attempts !== 1)).toEqual([]);
  });
  await recordHistory(engine, signingRoundWorkflowId(promise.id, 1), 'signing-round-expired');
});

test('an edit after one signature voids it, makes version 2 and starts a new round that completes', async () => {
  const { promise, actor } = await createLesseboDraft(engine.database.db);
  await submitForSigning(engine, promise.id, actor);
  const firstRound = await requestsFor('Signera medborgarlöftet', SIGNATORIES);
  await signWith(firstRound[0]!);

  const content = inComingYear(lessebo());
  content.goal = `${content.goal} Vi följer upp tillsammans varje kvartal.`;
  const revised = await reviseDuringSigning(engine, promise.id, actor, content);
  expect(revised.versionNumber).toBe(2);

  const secondRound = await requestsFor('Signera medborgarlöftet', SIGNATORIES * 2);
  const newRequests = secondRound.slice(SIGNATORIES);
  expect(newRequests.every((m) => m.text.includes(revised.sha256))).toBe(true);
  // The old link still resolves, but to a superseded round: the sign page says the text changed.
  const old = await findSigningAccess(engine.database.db, signingToken(firstRound[1]!));
  expect(old?.request.round.status).toBe('SUPERSEDED');
  await expect(signWith(firstRound[1]!)).rejects.toThrow();

  for (const mail of newRequests) await signWith(mail);
  await waitForStatus(promise.id, 'ACTIVE');
  const rounds = await engine.database.db.signingRound.findMany({ where: { promiseId: promise.id }, orderBy: { number: 'asc' } });
  expect(rounds.map((r) => r.status)).toEqual(['SUPERSEDED', 'COMPLETED']);
  const firstSignature = await engine.database.db.signature.findFirstOrThrow({ where: { request: { roundId: rounds[0]!.id } } });
  expect(firstSignature.voidedAt).not.toBeNull();
  const valid = await engine.database.db.signature.findMany({ where: { request: { roundId: rounds[1]!.id }, voidedAt: null } });
  expect(valid.every((s) => s.documentSha256 === revised.sha256)).toBe(true);
  expect(valid).toHaveLength(SIGNATORIES);
  await recordHistory(engine, promiseWorkflowId(promise.id), 'promise-revised-during-signing');
});

test('ordered groups: the retailers are asked only once police and municipality have signed', async () => {
  const { promise, actor } = await createLesseboDraft(engine.database.db, { order: 'GROUPED' });
  await submitForSigning(engine, promise.id, actor);
  const firstGroup = await requestsFor('Signera medborgarlöftet', 2);
  const groupOneEmails = lessebo()
    .signatories.filter((s) => s.signingGroup === 1)
    .map((s) => s.email)
    .sort();
  expect(firstGroup.flatMap((m) => m.to).sort()).toEqual(groupOneEmails);

  await signWith(firstGroup[0]!);
  await new Promise((r) => setTimeout(r, 500));
  expect(subjectsStartingWith(engine.mailbox.messages, 'Signera medborgarlöftet')).toHaveLength(2);
  await signWith(firstGroup[1]!);

  const all = await requestsFor('Signera medborgarlöftet', SIGNATORIES);
  for (const mail of all.slice(2)) await signWith(mail);
  await waitForStatus(promise.id, 'ACTIVE');
  await recordHistory(engine, signingRoundWorkflowId(promise.id, 1), 'signing-round-grouped');
});

test('withdrawing during signing voids what was signed, stops the round and tells every party', async () => {
  const { promise, actor, coordinatorEmail } = await createLesseboDraft(engine.database.db);
  await submitForSigning(engine, promise.id, actor);
  const requests = await requestsFor('Signera medborgarlöftet', SIGNATORIES);
  await signWith(requests[0]!);

  const result = await withdraw(engine, promise.id, actor, 'Ersätts av länets gemensamma löfte.');
  expect(result.status).toBe('WITHDRAWN');
  const record = await waitForStatus(promise.id, 'WITHDRAWN');
  expect(record.statusReason).toBe('Ersätts av länets gemensamma löfte.');
  const notices = await requestsFor('Återkallat:', SIGNATORIES + 1);
  expect(mailTo(notices, coordinatorEmail)).toHaveLength(1);

  const round = await engine.database.db.signingRound.findFirstOrThrow({ where: { promiseId: promise.id } });
  expect(round.status).toBe('WITHDRAWN');
  const signature = await engine.database.db.signature.findFirstOrThrow({ where: { request: { roundId: round.id } } });
  expect(signature.voidedAt).not.toBeNull();
  await expect(signWith(requests[1]!)).rejects.toThrow();
  // The promise's workflow has ended; nothing is left waiting.
  const final = await engine.client.workflow.getHandle(promiseWorkflowId(promise.id)).result();
  expect(final.status).toBe('WITHDRAWN');
});

test('the coordinator moves the deadline: the unsigned hear of it, their links last, the warning comes before the new day', async () => {
  const { promise, actor, coordinatorEmail } = await createLesseboDraft(engine.database.db);
  const startedAt = await engine.env.currentTimeMs();
  await submitForSigning(engine, promise.id, actor);
  const [first] = await requestsFor('Signera medborgarlöftet', SIGNATORIES);
  await signWith(first!);
  await engine.env.sleep(10 * 86_400_000);

  const deps = { db: engine.database.db, engine };
  const acting = { promise: await promiseRecord(promise.id), actor };
  const newDay = stockholmDateOf(startedAt + 45 * 86_400_000);
  // The deadline on record (the database's clock; the workflow's is the time-skipping server's).
  const oldDay = stockholmDateOf((await openRoundOf(engine.database.db, promise.id))!.deadline);
  await expect(moveSigningDeadline(deps, acting, oldDay)).rejects.toMatchObject({
    code: 'VALIDATION',
    details: [{ field: 'deadline', problem: `ska vara senare än nuvarande sista dag (${oldDay})` }],
  });
  await expect(moveSigningDeadline(deps, acting, newDay)).resolves.toEqual({ deadline: newDay });

  const { db } = engine.database;
  const round = await db.signingRound.findFirstOrThrow({ where: { promiseId: promise.id } });
  expect(round.deadline?.getTime()).toBe(deadlineOnDate(newDay));
  const audit = await db.auditEvent.findMany({ where: { promiseId: promise.id, action: 'SIGNING_DEADLINE_MOVED' } });
  expect(audit.map((a) => [a.actor, a.details])).toEqual([
    [
      `COORDINATOR:${actor.id}`,
      { roundNumber: 1, from: expect.stringMatching(/^\d{4}-/), to: new Date(deadlineOnDate(newDay)).toISOString() },
    ],
  ]);
  // Every link of those who have not answered works to the new day; the signed one's is left as it was.
  const tokens = await db.accessToken.findMany({
    where: { signingRequest: { roundId: round.id } },
    include: { signingRequest: { include: { signature: true } } },
  });
  expect(new Set(tokens.filter((t) => !t.signingRequest!.signature).map((t) => t.expiresAt.getTime()))).toEqual(
    new Set([deadlineOnDate(newDay)]),
  );
  expect(tokens.filter((t) => t.signingRequest!.signature).every((t) => t.expiresAt.getTime() < deadlineOnDate(newDay))).toBe(true);
  const moved = await requestsFor('Ny sista dag', SIGNATORIES - 1);
  const signer = first!.to[0]!;
  expect(moved.flatMap((m) => m.to)).not.toContain(signer);
  const newDayInWords = formatDate(new Date(deadlineOnDate(newDay)));
  expect(moved[0]!.text).toContain(`till och med ${newDayInWords}.`);

  // The round now ends on the new day, not after 30 days.
  await engine.client.workflow.getHandle(signingRoundWorkflowId(promise.id, 1)).result();
  const elapsedDays = ((await engine.env.currentTimeMs()) - startedAt) / 86_400_000;
  expect(elapsedDays).toBeGreaterThan(44);
  expect(elapsedDays).toBeLessThan(46.1);
  await waitForStatus(promise.id, 'DRAFT');
  const messages = engine.mailbox.messages;
  const unsigned = lessebo().signatories.find((s) => s.email !== signer)!;
  expect(mailTo(messages, unsigned.email).map((m) => m.subject.split(':')[0])).toEqual([
    'Signera medborgarlöftet',
    'Påminnelse 1',
    'Påminnelse 2',
    'Ny sista dag',
    'Påminnelse 3',
    'Påminnelse 4',
    'Snart för sent',
  ]);
  // The warning names the new day.
  expect(mailTo(messages, unsigned.email).at(-1)!.subject).toContain(`senast ${newDayInWords}`);
  const told = await engine.mailbox.waitFor((m) => mailTo(m, coordinatorEmail).length === 2);
  expect(mailTo(told, coordinatorEmail).map((m) => m.subject.split(':')[0])).toEqual(['Signaturer saknas', 'Signeringen löpte ut']);
  await recordHistory(engine, signingRoundWorkflowId(promise.id, 1), 'signing-round-deadline-moved');
});
