import { timingSafeEqual } from 'node:crypto';
import { utcDateOf } from '../domain/calendar';
import { calendarKeyFor } from '../domain/crypto';
import { activityEntry, icalendarOf } from '../domain/icalendar';
import type { Database } from '../store/database';
import { calendarActivities } from '../store/public';

// Calendar subscriptions: a signed promise's activities for anyone (no one's name or address in
// them), and a contact's own activities behind a link only they were sent. Both are written as the
// reminders' attachments are (domain/icalendar.ts), so an event is the same event everywhere.

type Activities = NonNullable<Awaited<ReturnType<typeof calendarActivities>>>;

const entriesOf = (promise: Activities, occurrences: Activities['occurrences'], url: string, note?: string) =>
  occurrences.map((o) =>
    activityEntry({
      occurrenceId: o.id,
      date: utcDateOf(o.dueDate!),
      commitmentText: o.commitment.text,
      promise,
      status: o.status,
      reportTimes: o.reports.map((r) => r.createdAt),
      url,
      note,
    }),
  );

/** A signed promise's activities as a calendar, and when one last changed; null when there is no signed promise at the address. */
export async function publicCalendar(
  db: Database,
  promiseId: string,
  publicBaseUrl: string,
): Promise<{ body: string; lastModified: Date } | null> {
  const promise = await calendarActivities(db, promiseId);
  if (!promise) return null;
  const entries = entriesOf(promise, promise.occurrences, `${publicBaseUrl}/loften/${promise.id}`);
  return {
    body: icalendarOf({ feed: true, name: `${promise.title} (${promise.municipality})`, entries }),
    lastModified: new Date(Math.max(promise.signedAt.getTime(), ...entries.map((e) => e.lastModified.getTime()))),
  };
}

/** The activities of the promise's contact whose link has this key; null when no contact's does (any more). */
export async function contactCalendar(
  db: Database,
  input: { promiseId: string; key: string; secret: string; publicBaseUrl: string },
): Promise<string | null> {
  const promise = await calendarActivities(db, input.promiseId);
  if (!promise) return null;
  const given = Buffer.from(input.key);
  // The key names its address however the coordinator typed it (calendarKeyFor normalises).
  const isTheirs = (email: string) => {
    const expected = Buffer.from(calendarKeyFor(input.secret, promise.id, email));
    return expected.length === given.length && timingSafeEqual(expected, given);
  };
  const own = promise.occurrences.filter((o) => o.commitment.contacts.some((c) => isTheirs(c.email)));
  if (own.length === 0) return null;
  return icalendarOf({
    feed: true,
    name: `Mina aktiviteter: ${promise.title}`,
    entries: entriesOf(
      promise,
      own,
      `${input.publicBaseUrl}/loften/${promise.id}`,
      'Rapportera med länken i påminnelsen. / Report with the link in the reminder.',
    ),
  });
}
