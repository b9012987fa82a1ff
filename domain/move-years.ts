import { addDays, daysBetween } from './calendar';
import type { PromiseContent } from './content';
import { withShapeDatesMoved } from './stored-content';

/**
 * The same promise moved whole years so that its period starts in `year`: the title's year, the
 * period, the document's date and one-off dates move along. For examples and tests built on real promises from the past.
 */
export function movedToYear(content: PromiseContent, year: number): PromiseContent {
  const from = content.period.start.slice(0, 4);
  const years = year - Number(from);
  const shift = (date: string) => `${Number(date.slice(0, 4)) + years}${date.slice(4)}`;
  return {
    ...content,
    title: content.title.replaceAll(from, String(year)),
    period: { start: shift(content.period.start), end: shift(content.period.end) },
    ...(content.documentDate ? { documentDate: shift(content.documentDate) } : {}),
    priorityAreas: content.priorityAreas.map((area) => ({
      ...area,
      commitments: area.commitments.map((c) => ({ ...c, shape: withShapeDatesMoved(c.shape, shift) })),
    })),
  };
}

/**
 * The same promise moved whole days so that its period starts on `start` (e.g. today): its year
 * has begun, so activities can be reported done at once, and none of its timers is near yet. The
 * document's date moves with it, so it stays as long before the period as it was.
 */
export function startingOn(content: PromiseContent, start: string): PromiseContent {
  const days = daysBetween(content.period.start, start);
  return {
    ...content,
    period: { start, end: addDays(content.period.end, days) },
    ...(content.documentDate ? { documentDate: addDays(content.documentDate, days) } : {}),
    priorityAreas: content.priorityAreas.map((area) => ({
      ...area,
      commitments: area.commitments.map((c) => ({ ...c, shape: withShapeDatesMoved(c.shape, (date) => addDays(date, days)) })),
    })),
  };
}
