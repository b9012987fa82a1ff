import { randomUUID } from 'node:crypto';
import { addDays, stockholmHourOn, workingDayOnOrBefore } from '../domain/calendar';
import { swedishCalendarFor } from '../domain/working-days';
import { announceAddressCorrection, reportActivity, submitForSigning, withdraw } from '../api/commands';
import { promiseWorkflowId, signingRoundWorkflowId } from '../domain/identifiers';
import { DEFAULT_SETTINGS } from '../domain/default-settings';
import { correctAddress } from '../store/addresses';
import { startEngine, type Engine } from './support/engine';
import { eventually } from './support/eventually';
import { createDraftOf, createLesseboDraft, fixture, inComingYear, lessebo, mailTo, subjectsStartingWith } from './support/promises';
import { signEveryRequest } from './support/signing';

// A relay that refuses one address for good (550 at RCPT TO), on the time-skipping server with
// the real activities: nobody else is held up, the coordinator hears of it once, and a corrected
// address gets what the old one missed.

let engine: Engine;
beforeAll(async () => {
  engine = await startEngine('time-skipping');
});
afterAll(async () => {
  await engine?.stop();
});
beforeEach(() => {
  engine.mailbox.messages.length = 0;
  engine.mailbox.refused.clear();
});

const outboxTo = (promiseId: string, recipient: string) =>
  engine.database.db.emailOutbox.findMany({ where: { promiseId, recipient }, orderBy: { createdAt: 'asc' } });

test('one bounced signatory: the others get their reminders, the deadline comes, the coordinator hears once', async () => {
  const bounced = lessebo().signatories[2]!;
  engine.mailbox.refuse(bounced.email);
  const { promise, actor, coordinatorEmail } = await createLesseboDraft(engine.database.db);
  await submitForSigning(engine, promise.id, actor);
  await engine.mailbox.waitFor((m) => subjectsStartingWith(m, 'Signera medborgarlöftet').length === 7);

  // Nobody signs: awaiting the round lets the server skip through its 30 days.
  expect(await engine.client.workflow.getHandle(signingRoundWorkflowId(promise.id, 1)).result()).toEqual({ kind: 'EXPIRED' });
  await eventually(async () =>
    expect((await engine.database.db.promiseRecord.findUniqueOrThrow({ where: { id: promise.id } })).status).toBe('DRAFT'),
  );
  const messages = await engine.mailbox.waitFor((m) => subjectsStartingWith(m, 'Signeringen löpte ut').length === 1);

  for (const signatory of lessebo().signatories.filter((s) => s.email !== bounced.email)) {
    expect(mailTo(messages, signatory.email).map((m) => m.subject.split(':')[0])).toEqual([
      'Signera medborgarlöftet',
      'Påminnelse 1',
      'Påminnelse 2',
      'Påminnelse 3',
      'Påminnelse 4',
      'Snart för sent',
    ]);
  }
  // The refused address was tried once and never again.
  expect(mailTo(messages, bounced.email)).toEqual([]);
  const tried = await outboxTo(promise.id, bounced.email);
  expect(tried.map((r) => [r.purpose, r.status, r.lastError])).toEqual([['SIGNING_REQUEST', 'UNDELIVERABLE', '550 5.1.1 User unknown']]);
  const request = await engine.database.db.signingRequest.findFirstOrThrow({
    where: { round: { promiseId: promise.id }, signatory: { email: bounced.email } },
  });
  expect(request.status).toBe('UNDELIVERABLE');

  // The coordinator: one notice of the bounce (address, person, the relay's words, what to do), and
  // the escalation and the expiry say why this signatory is missing.
  const notices = subjectsStartingWith(mailTo(messages, coordinatorEmail), 'E-post kom inte fram');
  expect(notices).toHaveLength(1);
  expect(notices[0]!.text).toContain(bounced.email);
  expect(notices[0]!.text).toContain(bounced.name);
  expect(notices[0]!.text).toContain('550 5.1.1 User unknown');
  // Corrected on the promise's page (the link leads there), or through the API.
  expect(notices[0]!.text).toContain(`${engine.activityDeps.publicBaseUrl}/app/loften/${promise.id}`);
  expect(notices[0]!.text).toContain(`/api/promises/${promise.id}/address-corrections`);
  const escalation = subjectsStartingWith(mailTo(messages, coordinatorEmail), 'Signaturer saknas')[0]!;
  expect(escalation.text).toContain(`${bounced.name}, ${bounced.title} (e-posten kom inte fram)`);
  expect(await engine.database.db.auditEvent.count({ where: { promiseId: promise.id, action: 'EMAIL_UNDELIVERABLE' } })).toBe(1);
});

test('one bounced contact in the year: the other reminders go out on time; once corrected, the missed reminders follow', async () => {
  const content = inComingYear(fixture('ljungby-2021'), await engine.env.currentTimeMs());
  const Y = content.period.start.slice(0, 4);
  const TK = 'trygghet@ljungby.example';
  const KP = 'kommunpolis.ljungby@polisen.example';
  const corrected = 'trygghetssamordnare@ljungby.example';
  engine.mailbox.refuse(TK);
  const { promise, actor, coordinatorEmail } = await createDraftOf(engine.database.db, content, DEFAULT_SETTINGS);
  await submitForSigning(engine, promise.id, actor);
  await signEveryRequest(engine, promise.id);
  // The youth dialogue, whose date the text leaves open, is set to 31 May by the coordinator.
  const dialogue = await engine.database.db.activityOccurrence.findFirstOrThrow({
    where: { promiseId: promise.id, commitment: { key: 'dialog-a-traktorer' } },
  });
  await reportActivity(engine, promise.id, {
    reportId: randomUUID(),
    occurrenceId: dialogue.id,
    report: { kind: 'DATE_SET', newDueDate: `${Y}-05-31` },
    actor,
  });

  await engine.env.sleep(Date.parse(`${Y}-06-20T12:00:00Z`) - (await engine.env.currentTimeMs()));
  const sentAt = (rows: { scheduledFor: Date | null; status: string }[]) =>
    rows.map((r) => `${r.scheduledFor!.toISOString().slice(0, 16)} ${r.status}`);
  // The police contact's reminders, every one on time: the youth dialogue of 31 May (never reported
  // here, so before, on the day and twice overdue) and the two half-year progress reports.
  // At 08:00 in Sweden on working days; the half-year ends on its last working day.
  const calendar = swedishCalendarFor(content.period);
  const halfYear = workingDayOnOrBefore(calendar, `${Y}-06-30`);
  const at = (due: string, days: number) =>
    new Date(stockholmHourOn(workingDayOnOrBefore(calendar, addDays(due, days)), 8)).toISOString().slice(0, 16);
  expect(sentAt(await outboxTo(promise.id, KP)).sort()).toEqual(
    [
      `${at(`${Y}-05-31`, -14)} SENT`,
      `${at(`${Y}-05-31`, 0)} SENT`,
      `${at(`${Y}-05-31`, 7)} SENT`,
      `${at(`${Y}-05-31`, 14)} SENT`,
      `${at(halfYear, -14)} SENT`,
      `${at(halfYear, -14)} SENT`,
    ].sort(),
  );
  expect(sentAt(await outboxTo(promise.id, TK))).toEqual([`${at(halfYear, -14)} UNDELIVERABLE`, `${at(halfYear, -14)} UNDELIVERABLE`]);
  const notices = await eventually(async () => {
    const found = subjectsStartingWith(mailTo(engine.mailbox.messages, coordinatorEmail), 'E-post kom inte fram');
    expect(found).toHaveLength(1);
    return found;
  });
  expect(notices[0]!.text).toContain('kontaktperson för');

  // The coordinator corrects the address (as the API does): the two missed reminders go out again.
  expect(await correctAddress(engine.database.db, { promiseId: promise.id, previous: TK, email: corrected, actor })).toMatchObject({
    signatories: [],
    contacts: expect.arrayContaining([expect.stringContaining('dialogmöten')]),
  });
  await announceAddressCorrection(engine, promise.id, TK, corrected);
  const resent = await engine.mailbox.waitFor((m) => mailTo(m, corrected).length === 2);
  expect(mailTo(resent, corrected).every((m) => /\/report\/[A-Za-z0-9_-]{43}/.test(m.text))).toBe(true);

  // Later reminders go to the new address on time; the old one gets nothing more.
  await engine.env.sleep(Date.parse(`${Y}-07-01T12:00:00Z`) - (await engine.env.currentTimeMs()));
  const dueRows = await eventually(async () => {
    const rows = (await outboxTo(promise.id, corrected)).filter((r) => r.purpose === 'ACTIVITY_DUE');
    expect(rows).toHaveLength(2);
    return rows;
  });
  expect(sentAt(dueRows)).toEqual([`${at(halfYear, 0)} SENT`, `${at(halfYear, 0)} SENT`]);
  expect(await outboxTo(promise.id, TK)).toHaveLength(2);
  expect(subjectsStartingWith(mailTo(engine.mailbox.messages, coordinatorEmail), 'E-post kom inte fram')).toHaveLength(1);
});

test('a withdrawal tells every party even when one address bounces, and the workflow completes', async () => {
  const bounced = lessebo().signatories[0]!;
  engine.mailbox.refuse(bounced.email);
  const { promise, actor, coordinatorEmail } = await createLesseboDraft(engine.database.db);
  const result = await withdraw(engine, promise.id, actor, 'Ersätts av ett länsgemensamt löfte.');
  expect(result).toEqual({ status: 'WITHDRAWN' });
  expect((await engine.client.workflow.getHandle(promiseWorkflowId(promise.id)).result()).status).toBe('WITHDRAWN');
  const told = subjectsStartingWith(await engine.mailbox.waitFor((m) => subjectsStartingWith(m, 'Återkallat').length === 8), 'Återkallat');
  expect(told.flatMap((m) => m.to).sort()).toEqual(
    [
      ...lessebo()
        .signatories.slice(1)
        .map((s) => s.email),
      coordinatorEmail,
    ].sort(),
  );
  expect((await outboxTo(promise.id, bounced.email)).map((r) => r.status)).toEqual(['UNDELIVERABLE']);
});
