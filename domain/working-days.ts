import Holidays from 'date-holidays';
import { addDays, type IsoDate } from './calendar';

// Sweden's days off, from a maintained library (date-holidays) rather than a table of our own:
// Saturdays and Sundays, the public holidays, and the customary days off that the library lists
// as bank holidays (Midsummer Eve, Christmas Eve, New Year's Eve). Kept out of the workflow bundle:
// the activities work the days out and the workflow gets them as a list (WorkingCalendar).

const sweden = new Holidays('SE');
const DAY_OFF_TYPES = new Set(['public', 'bank']);

/** Every day off in Sweden from `from` to `to`, both included. */
export function swedishDaysOff(from: IsoDate, to: IsoDate): IsoDate[] {
  const holidays = new Set<IsoDate>();
  for (let year = Number(from.slice(0, 4)); year <= Number(to.slice(0, 4)); year++) {
    for (const holiday of sweden.getHolidays(year)) if (DAY_OFF_TYPES.has(holiday.type)) holidays.add(holiday.date.slice(0, 10));
  }
  const days: IsoDate[] = [];
  for (let day = from; day <= to; day = addDays(day, 1)) {
    const weekday = new Date(`${day}T12:00:00Z`).getUTCDay();
    if (weekday === 0 || weekday === 6 || holidays.has(day)) days.push(day);
  }
  return days;
}

/** The working-day calendar for a period, with room on both sides for reminders before and after it. */
export const swedishCalendarFor = (period: { start: IsoDate; end: IsoDate }) => ({
  daysOff: swedishDaysOff(addDays(period.start, -60), addDays(period.end, 180)),
});
