import { addDays } from '../domain/calendar';
import { contactCalendarPath } from '../domain/icalendar';
import { startApiTestbed, type ApiTestbed } from './support/http';
import { formProblems, parseCalendar } from './support/icalendar';
import { inComingYear, lessebo, startingOn, today } from './support/promises';
import { reportTokenFor } from './support/reports';
import { activePromise } from './support/signing';

// Calendar subscriptions (issue 25): a signed promise's activities for anyone, without a name or an
// address; a contact's own activities behind a link made for them, which ends when they are no
// longer the contact. Read by an independent parser; a moved activity keeps its event.

let testbed: ApiTestbed;
let promiseId: string;
const LARS = 'lars.altgard@lessebo.example';
const MALENA = 'malena.grann@polisen.example';
interface Occurrence {
  id: string;
  commitmentKey: string;
  dueDate: string | null;
}
let occurrences: Occurrence[];

beforeAll(async () => {
  testbed = await startApiTestbed('samordnare.kalender@lessebo.example');
  promiseId = await activePromise(testbed, startingOn(lessebo(), today()));
  occurrences = (await testbed.coordinator.get(`/api/promises/${promiseId}/occurrences`)).json as Occurrence[];
});
afterAll(async () => {
  await testbed?.stop();
});

const calendarAt = async (path: string) => {
  const answer = await fetch(`${testbed.api.baseUrl}${path}`);
  return { status: answer.status, type: answer.headers.get('content-type'), text: await answer.text() };
};
const LARS_COMMITMENTS = ['forum-skolor', 'vuxennarvaro', 'samverkansmoten'];

test("the promise's calendar has every dated activity, as RFC 5545 wants it, with no one's name or address", async () => {
  expect((await calendarAt(`/loften/${promiseId}`)).text).toContain(`href="/loften/${promiseId}/kalender.ics"`);
  const feed = await calendarAt(`/loften/${promiseId}/kalender.ics`);
  expect(feed.status).toBe(200);
  expect(feed.type).toBe('text/calendar; charset=utf-8');
  expect(formProblems(feed.text)).toEqual([]);
  const { name, events } = parseCalendar(feed.text);
  const { title } = (await testbed.coordinator.get(`/api/promises/${promiseId}`)).json;
  expect(name).toBe(`${title} (Lessebo)`);
  const dated = occurrences.filter((o) => o.dueDate);
  expect(events.map((e) => e.uid).sort()).toEqual(dated.map((o) => `${o.id}@medborgarlofte`).sort());
  expect(events.every((e) => e.transparency === 'TRANSPARENT' && e.sequence === 0 && e.url?.endsWith(`/loften/${promiseId}`))).toBe(true);
  for (const personal of [LARS, MALENA, 'Lars Altgård', 'Malena Grann']) expect(feed.text).not.toContain(personal);
  expect(feed.text).not.toMatch(/[\w.-]+@[\w-]+\.[\w.]+/);

  // A promise that is not signed has no calendar.
  const draft = (await testbed.coordinator.post('/api/promises', { content: inComingYear(lessebo()) })).json.id;
  expect((await calendarAt(`/loften/${draft}/kalender.ics`)).status).toBe(404);
});

test('a moved activity keeps its event with a higher SEQUENCE; a cancelled one is marked cancelled', async () => {
  const [moved, cancelled] = occurrences.filter((o) => o.dueDate);
  const newDueDate = addDays(moved!.dueDate!, 7);
  const reports = (o: Occurrence) => `/api/promises/${promiseId}/occurrences/${o.id}/reports`;
  expect(
    (await testbed.coordinator.post(reports(moved!), { report: { kind: 'POSTPONED', newDueDate, reason: 'Lokalen var upptagen.' } }))
      .status,
  ).toBe(201);
  expect((await testbed.coordinator.post(reports(cancelled!), { report: { kind: 'CANCELLED', reason: 'Inställt.' } })).status).toBe(201);

  const { events } = parseCalendar((await calendarAt(`/loften/${promiseId}/kalender.ics`)).text);
  const eventOf = (o: Occurrence) => events.find((e) => e.uid === `${o.id}@medborgarlofte`)!;
  expect(eventOf(moved!)).toMatchObject({ start: newDueDate, sequence: 1, status: 'CONFIRMED' });
  expect(eventOf(cancelled!)).toMatchObject({ start: cancelled!.dueDate, sequence: 1, status: 'CANCELLED' });
  expect(Date.parse(eventOf(moved!).lastModified)).toBeGreaterThan(Date.now() - 60_000);
});

test("a contact's reminder and report page lead to their calendar; the reminder's invite is the calendar's event", async () => {
  const { engine } = testbed;
  const path = contactCalendarPath(engine.activityDeps.linkSecret, promiseId, LARS);
  const occurrence = occurrences.find((o) => o.dueDate && o.commitmentKey === 'samverkansmoten')!;
  const token = await reportTokenFor(engine, occurrence);
  const reminder = engine.mailbox.messages.find((m) => m.to.includes(LARS) && m.text.includes(`/report/${token}`))!;
  expect(reminder.text).toContain(`${engine.publicBaseUrl}${path}`);
  expect((await calendarAt(`/report/${token}`)).text).toContain(`href="${path}"`);

  const [invite] = parseCalendar(reminder.attachments[0]!.content).events;
  const [inFeed] = parseCalendar((await calendarAt(path)).text).events.filter((e) => e.uid === invite!.uid);
  expect(invite).toMatchObject({ uid: `${occurrence.id}@medborgarlofte`, start: occurrence.dueDate, transparency: 'TRANSPARENT' });
  expect(inFeed).toMatchObject({ start: invite!.start, sequence: invite!.sequence, summary: invite!.summary });
});

test("a contact's link gives their own activities only, and ends when they are no longer the contact", async () => {
  const { linkSecret } = testbed.engine.activityDeps;
  const path = contactCalendarPath(linkSecret, promiseId, LARS);
  // The address as the coordinator may have typed it is the same person.
  expect(contactCalendarPath(linkSecret, promiseId, 'Lars.Altgard@Lessebo.example')).toBe(path);
  const feed = await calendarAt(path);
  expect(feed.status).toBe(200);
  expect(formProblems(feed.text)).toEqual([]);
  const { name, events } = parseCalendar(feed.text);
  expect(name).toMatch(/^Mina aktiviteter: /);
  const own = occurrences.filter((o) => o.dueDate && LARS_COMMITMENTS.includes(o.commitmentKey));
  expect(events.map((e) => e.uid).sort()).toEqual(own.map((o) => `${o.id}@medborgarlofte`).sort());
  expect(events[0]!.description).toContain('Rapportera med länken i påminnelsen.');

  // Not a contact of this promise, a key changed by one letter, a key of the wrong form.
  expect((await calendarAt(contactCalendarPath(linkSecret, promiseId, 'ingen@lessebo.example'))).status).toBe(404);
  const tampered = path.replace(/(.)\.ics$/, (_, last: string) => `${last === 'A' ? 'B' : 'A'}.ics`);
  expect((await calendarAt(tampered)).status).toBe(404);
  const malformed = await calendarAt(`/kalender/${promiseId}/kort.ics`);
  expect(malformed.status).toBe(400);
  expect(malformed.text).toContain('ska vara nyckeln ur länken (43 tecken)');

  // The coordinator corrects the address: the old link ends, the new address gets its own.
  const corrected = 'lars.altgard@kommun.lessebo.example';
  expect(
    (await testbed.coordinator.post(`/api/promises/${promiseId}/address-corrections`, { previous: LARS, email: corrected })).status,
  ).toBe(200);
  expect((await calendarAt(path)).status).toBe(404);
  expect((await calendarAt(contactCalendarPath(linkSecret, promiseId, corrected))).status).toBe(200);
});

test('while nothing changes, the calendar is the same text, stamped when each activity last changed, not when fetched', async () => {
  const first = await calendarAt(`/loften/${promiseId}/kalender.ics`);
  await new Promise((resolve) => setTimeout(resolve, 1_100));
  expect((await calendarAt(`/loften/${promiseId}/kalender.ics`)).text).toBe(first.text);
});
