import ICAL from 'ical.js';

// Reading a calendar as a calendar program does: with ical.js, an iCalendar parser of its own
// (Mozilla's, for Thunderbird), not with the code that wrote it. Also what RFC 5545 asks of the
// text itself: CRLF line ends, no bare CR, no line longer than 75 octets.

export interface ParsedEvent {
  uid: string;
  start: string;
  end: string;
  sequence: number;
  summary: string;
  description: string;
  status: string;
  transparency: string;
  lastModified: string;
  url: string | null;
}

export function parseCalendar(text: string): { name: string | null; events: ParsedEvent[] } {
  const calendar = new ICAL.Component(ICAL.parse(text));
  const value = (component: ICAL.Component, name: string) => {
    const v = component.getFirstPropertyValue(name);
    return v === null || v === undefined ? null : String(v);
  };
  return {
    name: value(calendar, 'x-wr-calname'),
    events: calendar.getAllSubcomponents('vevent').map((e) => ({
      uid: value(e, 'uid')!,
      start: value(e, 'dtstart')!,
      end: value(e, 'dtend')!,
      sequence: Number(value(e, 'sequence')),
      summary: value(e, 'summary')!,
      description: value(e, 'description')!,
      status: value(e, 'status')!,
      transparency: value(e, 'transp')!,
      lastModified: value(e, 'last-modified')!,
      url: value(e, 'url'),
    })),
  };
}

/** What RFC 5545 asks of the text: each line ends CRLF, no CR stands alone, no line is over 75 octets. */
export function formProblems(text: string): string[] {
  const problems: string[] = [];
  if (!text.endsWith('\r\n')) problems.push('slutar inte med CRLF');
  if (/\r(?!\n)/.test(text)) problems.push('ensam CR');
  if (/(?<!\r)\n/.test(text)) problems.push('ensam LF');
  for (const line of text.split('\r\n')) {
    if (Buffer.byteLength(line, 'utf8') > 75) problems.push(`rad över 75 oktetter: ${line}`);
  }
  return problems;
}
