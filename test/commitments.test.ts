import { MockActivityEnvironment } from '@temporalio/testing';
import { createActivities } from '../activities';
import { addDays } from '../domain/calendar';
import { newLinkSecret } from '../domain/crypto';
import { LocalMailbox } from '../platform/embedded/mailbox';
import { createSmtpMailer, type Mailer } from '../platform/mailer';
import { correctAddress } from '../store/addresses';
import { recipientOf } from '../store/outbox';
import { findReportAccess } from '../store/year';
import { createTestDatabase, type TestDatabase } from './support/database';
import { createDraftOf, fixture, startingOn, today } from './support/promises';
import { DEFAULT_SETTINGS } from '../domain/default-settings';

// Commitments as real promises write them: owned by a pair (the police's and the municipality's
// contact), each reminded with a report link of their own, and made of steps ("start a council,
// then meet four times a year"), scheduled as one commitment.

let database: TestDatabase;
let mailbox: LocalMailbox;
let mailer: Mailer;
const deps = () => ({ db: database.db, mailer, publicBaseUrl: 'http://localhost:3000', linkSecret: newLinkSecret() });

beforeAll(async () => {
  database = await createTestDatabase();
  mailbox = new LocalMailbox();
  await mailbox.start();
  mailer = createSmtpMailer({ url: mailbox.smtpUrl, from: 'test@test.example' });
});
afterAll(async () => {
  mailer.close();
  await mailbox.stop();
  await database.drop();
});

const POLICE = { name: 'Kim Kommunpolis', title: 'Kommunpolis', email: 'kommunpolis@polisen.example' };
const MUNICIPALITY = { name: 'Tove Trygghet', title: 'Trygghetssamordnare', email: 'trygghet@ljungby.example' };

/** Ljungby in its year, its meetings owned by two contacts, the occurrences scheduled. */
async function pairOwnedMeeting() {
  const content = startingOn(fixture('ljungby-2021'), addDays(today(), -1));
  const meeting = content.priorityAreas.flatMap((a) => a.commitments).find((c) => c.key === 'dialogmoten')!;
  meeting.contacts = [POLICE, MUNICIPALITY];
  const { promise, actor } = await createDraftOf(database.db, content, DEFAULT_SETTINGS);
  const activities = createActivities(deps());
  const env = new MockActivityEnvironment();
  await env.run(activities.scheduleOccurrences, { promiseId: promise.id });
  const occurrence = await database.db.activityOccurrence.findFirstOrThrow({
    where: { promiseId: promise.id, commitment: { key: 'dialogmoten' } },
    orderBy: { sequence: 'asc' },
  });
  const remind = (input: Partial<Parameters<typeof activities.sendOccurrenceReminder>[0]> = {}) =>
    env.run(activities.sendOccurrenceReminder, {
      occurrenceId: occurrence.id,
      dueDate: occurrence.dueDate!.toISOString().slice(0, 10),
      kind: 'BEFORE' as const,
      sequence: 0,
      scheduledFor: Date.now(),
      ...input,
    });
  return { promise, actor, activities, env, occurrence, remind };
}

const linkIn = (text: string) => /\/report\/([A-Za-z0-9_-]{43})/.exec(text)![1]!;

test("each contact of a commitment is reminded with a link of their own, once, and a report through a link is its holder's", async () => {
  const { remind, promise } = await pairOwnedMeeting();
  const before = mailbox.messages.length;
  expect(await remind()).toEqual(['SENT', 'SENT']);
  expect(await remind()).toEqual(['ALREADY_SENT', 'ALREADY_SENT']);
  // The two go out at once, so in either order.
  const sent = mailbox.messages.slice(before);
  expect(sent.map((m) => m.to[0]).sort()).toEqual([POLICE.email, MUNICIPALITY.email].sort());
  const to = (address: string) => sent.find((m) => m.to[0] === address)!;
  expect(to(MUNICIPALITY.email).headers.to).toContain(MUNICIPALITY.email);
  const [policeLink, municipalityLink] = [to(POLICE.email), to(MUNICIPALITY.email)].map((m) => linkIn(m.text));
  expect(policeLink).not.toBe(municipalityLink);
  const holderOf = async (link: string) => recipientOf(database.db, (await findReportAccess(database.db, link))!.token.outboxKey);
  expect(await holderOf(municipalityLink!)).toBe(MUNICIPALITY.email);
  expect(await holderOf(policeLink!)).toBe(POLICE.email);

  const schedule = await database.db.commitmentContact.findMany({
    where: { commitment: { version: { promiseId: promise.id }, key: 'dialogmoten' } },
    orderBy: { position: 'asc' },
  });
  expect(schedule.map((c) => [c.name, c.title, c.email])).toEqual([
    [POLICE.name, POLICE.title, POLICE.email],
    [MUNICIPALITY.name, MUNICIPALITY.title, MUNICIPALITY.email],
  ]);
});

test('an escalation names both contacts; a corrected address gets the reminder again, the other contact nothing more', async () => {
  const { remind, promise, actor, activities, env } = await pairOwnedMeeting();
  await remind();
  const before = mailbox.messages.length;
  await remind({ kind: 'ESCALATION' });
  const escalation = mailbox.messages.slice(before).find((m) => m.subject.startsWith('Försenad aktivitet'))!;
  expect(escalation.text).toContain(`${POLICE.name} <${POLICE.email}>, ${MUNICIPALITY.name} <${MUNICIPALITY.email}>`);

  const corrected = 'tove.trygghet@ljungby.example';
  await correctAddress(database.db, { promiseId: promise.id, previous: MUNICIPALITY.email, email: corrected, actor });
  const afterCorrection = mailbox.messages.length;
  await env.run(activities.resendAfterCorrection, {
    promiseId: promise.id,
    previous: MUNICIPALITY.email,
    email: corrected,
    scheduledFor: Date.now(),
  });
  expect(mailbox.messages.slice(afterCorrection).map((m) => m.to[0])).toEqual([corrected]);
  // The new address has this reminder already: the same reminder again sends nothing.
  expect(await remind()).toEqual(['ALREADY_SENT', 'ALREADY_SENT']);
});

test('a commitment with contacts refuses the same address twice, and both forms of contact at once', async () => {
  const { PromiseContentSchema } = await import('../domain/content');
  const { fieldProblems } = await import('../domain/validation');
  const content = structuredClone(fixture('ljungby-2021')) as Record<string, unknown> & ReturnType<typeof fixture>;
  const meeting = content.priorityAreas.flatMap((a) => a.commitments).find((c) => c.key === 'dialogmoten')!;
  meeting.contacts = [POLICE, { ...MUNICIPALITY, email: POLICE.email.toUpperCase() }];
  const twice = PromiseContentSchema.safeParse(content);
  expect(fieldProblems(twice.error!)).toEqual([
    { field: 'priorityAreas.0.commitments.0.contacts.1.email', problem: 'samma adress finns redan hos en annan kontaktperson' },
  ]);
  (meeting as Record<string, unknown>).contact = POLICE;
  meeting.contacts = [MUNICIPALITY];
  expect(fieldProblems(PromiseContentSchema.safeParse(content).error!)).toEqual([
    { field: 'priorityAreas.0.commitments.0.contact', problem: 'ange antingen contact eller contacts' },
  ]);
});

test('a commitment made of steps is stored and scheduled as one: the start, then the meetings from its date', async () => {
  const content = startingOn(fixture('ljungby-2021'), addDays(today(), -1));
  const { start, end } = content.period;
  const council = content.priorityAreas[0]!.commitments[0]!;
  council.text = 'Kommunen och polisen startar ett gemensamt trygghetsråd som sedan träffas regelbundet.';
  council.shape = {
    kind: 'STEPS',
    steps: [
      { kind: 'ONE_OFF', dueDate: addDays(start, 30) },
      { kind: 'COUNT_PER_PERIOD', count: 4, period: 'YEAR', from: addDays(start, 31) },
    ],
  };
  const { promise } = await createDraftOf(database.db, content, DEFAULT_SETTINGS);
  const activities = createActivities(deps());
  await new MockActivityEnvironment().run(activities.scheduleOccurrences, { promiseId: promise.id });
  const stored = await database.db.commitment.findFirstOrThrow({ where: { version: { promiseId: promise.id }, key: council.key } });
  expect(stored.shape).toBe('STEPS');
  const occurrences = await database.db.activityOccurrence.findMany({ where: { commitmentId: stored.id }, orderBy: { sequence: 'asc' } });
  const dates = occurrences.map((o) => o.dueDate!.toISOString().slice(0, 10));
  expect(dates[0]).toBe(addDays(start, 30));
  expect(dates.length).toBeGreaterThanOrEqual(4);
  expect(dates.slice(1).every((d) => d > addDays(start, 31) && d <= end)).toBe(true);
  expect(occurrences.map((o) => o.sequence)).toEqual(dates.map((_, i) => i + 1));
});
