import { activityEntry, icalendarOf } from '../domain/icalendar';
import { formProblems, parseCalendar } from './support/icalendar';

// The activities' iCalendar, read back by an independent parser (ical.js): all-day events that do
// not make anyone busy, one UID per occurrence, revised with a higher SEQUENCE, text as RFC 5545
// wants it.

const signedAt = new Date('2027-01-10T09:30:00Z');
const promise = { title: 'Trygghet i Lessebo – ett längre namn med åäö', municipality: 'Lessebo', signedAt };
const entry = (more: Partial<Parameters<typeof activityEntry>[0]> = {}) =>
  activityEntry({
    occurrenceId: '0b6f3c1e-5a43-4a7e-9a55-1f2d8c0b9e11',
    date: '2027-03-15',
    commitmentText:
      'Polisen och kommunen genomför en trygghetsvandring i centrala Lessebo tillsammans med föreningar, fastighetsägare och näringsidkare.',
    promise,
    status: 'PLANNED',
    reportTimes: [],
    url: 'https://loften.example/loften/1',
    ...more,
  });

test('an activity is an all-day event that blocks no one, with its UID, the promise and its page; long Swedish lines folded at 75 octets', () => {
  const text = icalendarOf({ feed: true, name: 'Trygghet i Lessebo (Lessebo)', entries: [entry()] });
  expect(formProblems(text)).toEqual([]);
  const { name, events } = parseCalendar(text);
  expect(name).toBe('Trygghet i Lessebo (Lessebo)');
  expect(events).toEqual([
    expect.objectContaining({
      uid: '0b6f3c1e-5a43-4a7e-9a55-1f2d8c0b9e11@medborgarlofte',
      start: '2027-03-15',
      end: '2027-03-16',
      sequence: 0,
      summary: entry().summary,
      status: 'CONFIRMED',
      transparency: 'TRANSPARENT',
      lastModified: '2027-01-10T09:30:00Z',
      url: 'https://loften.example/loften/1',
    }),
  ]);
  expect(events[0]!.description).toContain('Medborgarlöftet "Trygghet i Lessebo – ett längre namn med åäö", Lessebo.');
});

test('a moved activity keeps its UID with a higher SEQUENCE and a later LAST-MODIFIED; a cancelled one says so', () => {
  const [before] = parseCalendar(icalendarOf({ feed: true, name: 'x', entries: [entry()] })).events;
  const moved = new Date('2027-03-01T12:00:00Z');
  const [after] = parseCalendar(
    icalendarOf({ feed: true, name: 'x', entries: [entry({ date: '2027-03-22', reportTimes: [moved] })] }),
  ).events;
  expect(after).toMatchObject({ uid: before!.uid, start: '2027-03-22', sequence: 1, lastModified: '2027-03-01T12:00:00Z' });
  const cancelledAt = new Date('2027-03-05T08:00:00Z');
  const [cancelled] = parseCalendar(
    icalendarOf({ feed: true, name: 'x', entries: [entry({ status: 'CANCELLED', reportTimes: [cancelledAt, moved] })] }),
  ).events;
  expect(cancelled).toMatchObject({ uid: before!.uid, status: 'CANCELLED', sequence: 2 });
  expect(cancelled!.description).toContain('Inställd. / Cancelled.');
});

test('a note written with Windows or old Mac line breaks leaves no bare CR; an e-mailed event is published, stamped when sent', () => {
  const sentAt = new Date('2027-03-01T07:00:00Z');
  const text = icalendarOf({ name: 'x', sentAt, entries: [entry({ note: 'Första raden\r\nandra raden\rtredje raden' })] });
  expect(formProblems(text)).toEqual([]);
  expect(text).toContain('METHOD:PUBLISH');
  expect(text).toContain('DTSTAMP:20270301T070000Z');
  expect(parseCalendar(text).events[0]!.description).toContain('Första raden\nandra raden\ntredje raden');
});
