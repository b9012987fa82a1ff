import ical, { ICalCalendarMethod, ICalEventStatus, ICalEventTransparency } from 'ical-generator';
import { addDays, type IsoDate } from './calendar';
import { calendarKeyFor } from './crypto';

// Activities as iCalendar (RFC 5545), written by ical-generator (it folds lines at 75 octets and
// escapes text): the reminder e-mail's attachment and the calendar subscriptions come from here, so
// an event has one UID everywhere, and a moved or cancelled activity replaces the event a calendar
// already holds (a higher SEQUENCE, a later LAST-MODIFIED).

export interface CalendarEntry {
  /** The occurrence's id: its event's UID for as long as it exists. */
  id: string;
  date: IsoDate;
  summary: string;
  description: string;
  url?: string;
  /** How many times it has changed since it was planned (its reports): the event's SEQUENCE. */
  revision: number;
  lastModified: Date;
  cancelled: boolean;
}

const STATUS_WORDS: Partial<Record<string, string>> = {
  DONE: 'Genomförd. / Done.',
  CANCELLED: 'Inställd. / Cancelled.',
};

/**
 * An activity (an occurrence) as an event: the commitment's text, the promise it belongs to, how it
 * stands; revised once for each report on it, last when the latest was made (the signing before any).
 */
export function activityEntry(activity: {
  occurrenceId: string;
  date: IsoDate;
  commitmentText: string;
  promise: { title: string; municipality: string; signedAt: Date };
  status: string;
  /** When each report on the occurrence was made, the latest first. */
  reportTimes: Date[];
  url: string;
  /** A line for the reader alone (a contact: how to report). */
  note?: string;
}): CalendarEntry {
  const { promise } = activity;
  return {
    id: activity.occurrenceId,
    date: activity.date,
    summary: activity.commitmentText,
    description: [
      `Medborgarlöftet "${promise.title}", ${promise.municipality}. / The citizens' promise "${promise.title}", ${promise.municipality}.`,
      STATUS_WORDS[activity.status],
      activity.note,
    ]
      .filter(Boolean)
      .join('\n'),
    url: activity.url,
    revision: activity.reportTimes.length,
    lastModified: activity.reportTimes[0] ?? promise.signedAt,
    cancelled: activity.status === 'CANCELLED',
  };
}

/** How often a subscribing calendar should fetch the feed again. */
const REFRESH_SECONDS = 60 * 60;

/** The path of a contact's own calendar for one promise (api/routes/calendars.ts). */
export const contactCalendarPath = (secret: string, promiseId: string, address: string) =>
  `/kalender/${promiseId}/${calendarKeyFor(secret, promiseId, address)}.ics`;

const eventUid = (occurrenceId: string) => `${occurrenceId}@medborgarlofte`;

/**
 * A calendar of all-day activities. A subscription names itself and asks to be fetched hourly; a
 * single event sent by e-mail is published (METHOD:PUBLISH), stamped when it was sent.
 */
export function icalendarOf(input: { name: string; entries: CalendarEntry[] } & ({ feed: true } | { sentAt: Date })): string {
  const calendar = ical({
    prodId: { company: 'Medborgarlöften', product: 'Medborgarlöften', language: 'SV' },
    ...('feed' in input ? { name: input.name, ttl: REFRESH_SECONDS } : { method: ICalCalendarMethod.PUBLISH }),
  });
  for (const entry of input.entries) {
    calendar.createEvent({
      id: eventUid(entry.id),
      allDay: true,
      start: new Date(entry.date),
      end: new Date(addDays(entry.date, 1)),
      summary: entry.summary,
      // A text written on Windows or an old Mac: one kind of line break, so no bare CR reaches a calendar.
      description: entry.description.replace(/\r\n?/g, '\n'),
      ...(entry.url ? { url: entry.url } : {}),
      sequence: entry.revision,
      lastModified: entry.lastModified,
      stamp: 'sentAt' in input ? input.sentAt : entry.lastModified,
      // An all-day activity does not make anyone busy all day.
      transparency: ICalEventTransparency.TRANSPARENT,
      status: entry.cancelled ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
    });
  }
  // RFC 5545 ends every content line with CRLF, the last one too; ical-generator leaves it off.
  return `${calendar.toString()}\r\n`;
}
