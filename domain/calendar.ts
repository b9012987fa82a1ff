// Dates as ISO strings (YYYY-MM-DD) and plain UTC arithmetic: deterministic, and the same in
// workflow code, activities and pages.

export type IsoDate = string;
const DAY_MS = 86_400_000;

export const toEpoch = (date: IsoDate): number => Date.parse(`${date}T00:00:00.000Z`);
export const toIsoDate = (epoch: number): IsoDate => new Date(epoch).toISOString().slice(0, 10);
/** Between ISO dates and Date values (a DATE column reads as midnight UTC). */
export const utcDateOf = (date: Date): IsoDate => toIsoDate(date.getTime());
export const midnightUtc = (date: IsoDate): Date => new Date(toEpoch(date));
export const addDays = (date: IsoDate, days: number): IsoDate => toIsoDate(toEpoch(date) + days * DAY_MS);
export const daysBetween = (from: IsoDate, to: IsoDate): number => Math.round((toEpoch(to) - toEpoch(from)) / DAY_MS);

/** Same day n months later, or the month's last day where that day does not exist (31 Jan + 1 = 28/29 Feb). */
export function addMonths(date: IsoDate, months: number): IsoDate {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const monthIndex = m - 1 + months;
  const year = y + Math.floor(monthIndex / 12);
  const month = ((monthIndex % 12) + 12) % 12;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return toIsoDate(Date.UTC(year, month, Math.min(d, lastDay)));
}

/** Reminders of years planned before the working-day calendar went out at 07:00 UTC on their day. */
export const REMINDER_HOUR_UTC = 7;
export const reminderTime = (date: IsoDate): number => toEpoch(date) + REMINDER_HOUR_UTC * 3_600_000;

/** The days off a year is planned with (domain/working-days.ts works them out; the workflow gets the list). */
export interface WorkingCalendar {
  daysOff: readonly IsoDate[];
}

/** Reminders go out at this hour in Sweden, whatever the season. */
export const REMINDER_HOUR_STOCKHOLM = 8;

/** Each calendar's days off as a set, made once per list (a year's reminders ask about hundreds of days). */
const daysOffSets = new WeakMap<readonly IsoDate[], ReadonlySet<IsoDate>>();

export function isWorkingDay(calendar: WorkingCalendar, date: IsoDate): boolean {
  let daysOff = daysOffSets.get(calendar.daysOff);
  if (!daysOff) daysOffSets.set(calendar.daysOff, (daysOff = new Set(calendar.daysOff)));
  return !daysOff.has(date);
}

/** The last working day on or before `date`, but not before `notBefore` (then `date` itself). */
export function workingDayOnOrBefore(calendar: WorkingCalendar, date: IsoDate, notBefore?: IsoDate): IsoDate {
  for (let day = date; notBefore === undefined || day >= notBefore; day = addDays(day, -1)) {
    if (isWorkingDay(calendar, day)) return day;
    if (daysBetween(day, date) > 14) break;
  }
  return date;
}

/** Instants worked out by stockholmHourOn, kept: the same few hundred dates come up at every step of a year. */
const hoursOn = new Map<string, number>();
const HOURS_KEPT = 10_000;

/** The instant of `hour`:00 in Sweden (Europe/Stockholm) on `date`, summer time or not. */
export function stockholmHourOn(date: IsoDate, hour: number): number {
  const key = `${date}T${hour}`;
  const known = hoursOn.get(key);
  if (known !== undefined) return known;
  // Sweden is UTC+1 in winter and UTC+2 in summer: try winter's offset, and correct by what the clock says there.
  const guess = toEpoch(date) + (hour - 1) * 3_600_000;
  const shown = Number(stockholmHour().format(guess).slice(0, 2)) % 24;
  if (hoursOn.size >= HOURS_KEPT) hoursOn.clear();
  hoursOn.set(key, guess - (shown - hour) * 3_600_000);
  return hoursOn.get(key)!;
}

/**
 * A formatter made on first use and kept: making one is costly, and the workflow bundle, which
 * evaluates this module for every workflow it runs, seldom needs one.
 */
function once<T>(make: () => T): () => T {
  let made: T | undefined;
  return () => (made ??= make());
}

const stockholmDate = once(
  () => new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Stockholm', year: 'numeric', month: '2-digit', day: '2-digit' }),
);

const stockholmHour = once(() => new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Stockholm', hour: '2-digit', hourCycle: 'h23' }));

/** The date in Sweden at this moment: what "today" means to the people who report. */
export const stockholmDateOf = (at: number | Date): IsoDate => stockholmDate().format(at);

const stockholmTime = once(
  () =>
    new Intl.DateTimeFormat('sv-SE', {
      timeZone: 'Europe/Stockholm',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
    }),
);

/** A moment as people in Sweden read it on a page: "2026-11-21 16:45". */
export const stockholmTimeOf = (epoch: number): string => stockholmTime().format(epoch);
