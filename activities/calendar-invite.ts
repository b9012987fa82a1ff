import { addDays } from '../domain/calendar';

// An iCalendar (.ics) all-day event for a dated occurrence, so it lands in the responsible
// person's calendar. The UID is stable, so a moved date updates the same event.

const escapeText = (text: string) => text.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\n/g, '\\n');
const compact = (isoDate: string) => isoDate.replaceAll('-', '');

export function calendarInvite(event: { uid: string; date: string; summary: string; description: string; stamp: Date }): string {
  return [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Medborgarlöften//SV',
    'METHOD:PUBLISH',
    'BEGIN:VEVENT',
    `UID:${event.uid}@medborgarlofte`,
    `DTSTAMP:${event.stamp
      .toISOString()
      .replace(/[-:]/g, '')
      .replace(/\.\d{3}/, '')}`,
    `DTSTART;VALUE=DATE:${compact(event.date)}`,
    `DTEND;VALUE=DATE:${compact(addDays(event.date, 1))}`,
    `SUMMARY:${escapeText(event.summary)}`,
    `DESCRIPTION:${escapeText(event.description)}`,
    'END:VEVENT',
    'END:VCALENDAR',
    '',
  ].join('\r\n');
}
