import { addDays, addMonths, daysBetween, type IsoDate } from './calendar';
import { PromiseContentSchema, type PromiseContent } from './content';
import { withShapeDatesMoved } from './stored-content';
import { DomainError } from './errors';
import { fieldProblems } from './validation';
import { describeProblems } from './problems';

// The next period's text, for a renewal. A promise renewed every year gets a whole year; any other
// period (Åstorp's 2023-03-06 – 2025-12-31) is repeated at the same length. Either way the next
// period starts the day after this one ends, and everything dated moves along with it.

/** A calendar length: whole months, then days. */
interface Span {
  months: number;
  days: number;
}

/** The span from `from` to `to` (exclusive): as many whole months as fit, then the days left. */
function spanBetween(from: IsoDate, to: IsoDate): Span {
  let months = 0;
  while (addMonths(from, months + 1) <= to) months += 1;
  return { months, days: daysBetween(addMonths(from, months), to) };
}

const addSpan = (date: IsoDate, span: Span): IsoDate => addDays(addMonths(date, span.months), span.days);

/** Years named in the title follow the period: "2023–2025" becomes "2026–2028". */
function titleFor(title: string, from: { start: IsoDate; end: IsoDate }, to: { start: IsoDate; end: IsoDate }): string {
  const years = new Map([
    [from.start.slice(0, 4), to.start.slice(0, 4)],
    [from.end.slice(0, 4), to.end.slice(0, 4)],
  ]);
  return title.replace(/\b\d{4}\b/g, (year) => years.get(year) ?? year);
}

export function nextPeriodContent(content: PromiseContent): PromiseContent {
  const { period } = content;
  const start = addDays(period.end, 1);
  const length = content.renewal === 'ANNUAL' ? { months: 12, days: 0 } : spanBetween(period.start, start);
  const next = { start, end: addDays(addSpan(start, length), -1) };
  const moved = (date: IsoDate): IsoDate => {
    const shifted = addSpan(next.start, spanBetween(period.start, date));
    return shifted > next.end ? next.end : shifted;
  };
  // The paper's date belongs to the document that was signed; the renewal gets its own when it is.
  const { documentDate: _signedOn, ...carried } = content;
  const renewed = {
    ...carried,
    title: titleFor(content.title, period, next),
    period: next,
    priorityAreas: content.priorityAreas.map((area) => ({
      ...area,
      commitments: area.commitments.map((c) => ({ ...c, shape: withShapeDatesMoved(c.shape, moved) })),
    })),
  };
  // The renewal is a draft like any other: it must pass the same validation.
  const checked = PromiseContentSchema.safeParse(renewed);
  if (!checked.success) {
    throw new DomainError('INVALID', `Förnyelsen blev inte ett giltigt utkast: ${describeProblems(fieldProblems(checked.error))}`);
  }
  return checked.data;
}
