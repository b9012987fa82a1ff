import {
  addDays,
  addMonths,
  daysBetween,
  isWorkingDay,
  REMINDER_HOUR_STOCKHOLM,
  reminderTime,
  stockholmDateOf,
  stockholmHourOn,
  toEpoch,
  workingDayOnOrBefore,
  type IsoDate,
  type WorkingCalendar,
} from './calendar';
import type { Commitment, PromiseContent, Step } from './content';
import { contactsOf, stepsOf } from './stored-content';
import { durationToMs } from './durations';
import type { ActivitySettings } from './settings';

type ReportEvery = NonNullable<Extract<Step, { kind: 'CONTINUOUS' }>['reportEvery']>;

// From commitments to dated occurrences across the period, and from an occurrence to its
// reminders. Pure: the preview before signing and the workflow after it use these same functions.

const UNIT_MONTHS = { YEAR: 12, HALF_YEAR: 6, QUARTER: 3, MONTH: 1 } as const;

export interface PlannedOccurrence {
  commitmentKey: string;
  sequence: number;
  /** Null for a one-off whose date is to be set: the coordinator is asked for it. */
  dueDate: IsoDate | null;
  /** ACTIVITY: something to do and report; PROGRESS_REPORT: a continuous effort's periodic report. */
  kind: 'ACTIVITY' | 'PROGRESS_REPORT';
  /** Which step (from 1) of a STEPS commitment it belongs to. */
  step?: number;
}

/** Consecutive windows of `months` from start (each counted from the start, so month ends do not drift); the last is cut at the period's end. End is exclusive. */
function windows(start: IsoDate, endInclusive: IsoDate, months: number) {
  const end = addDays(endInclusive, 1);
  const result: { from: IsoDate; to: IsoDate }[] = [];
  for (let i = 0, from = start; from < end; from = addMonths(start, months * ++i)) {
    const next = addMonths(start, months * (i + 1));
    result.push({ from, to: next < end ? next : end });
  }
  return result;
}

/** By due date, the undated last (where the database puts them too). */
const byDueDate = (a: { dueDate: IsoDate | null }, b: { dueDate: IsoDate | null }) =>
  a.dueDate === b.dueDate ? 0 : a.dueDate === null ? 1 : b.dueDate === null ? -1 : a.dueDate.localeCompare(b.dueDate);

/** How a year is planned beyond what the text says. */
export interface PlanOptions {
  /** Sweden's days off; without it (years planned before it) a part's last day is used as it is. */
  calendar?: WorkingCalendar;
  /** How often an ongoing effort reports when its text does not say (the settings'; a quarter otherwise). */
  reportEvery?: ReportEvery;
}

/**
 * A commitment's occurrences over the period. With a working-day calendar, every date the product
 * works out (not one the text gives) is the last working day of its part. The steps of a STEPS
 * commitment are numbered in the text's order, each step's occurrences by date; a step waiting for
 * the date of the one-off before it (see `waitingSteps`) has none yet.
 */
export function expandCommitment(
  commitment: Commitment,
  period: { start: IsoDate; end: IsoDate },
  plan: PlanOptions = {},
): PlannedOccurrence[] {
  return numbered(
    planSteps(commitment, period, plan).flatMap((step) => step ?? []),
    1,
  );
}

/**
 * The steps (numbered from 1) that start once the one-off before them has happened and whose
 * start is not known at signing: that one-off's date is to be set. They are planned when it is.
 */
export const waitingSteps = (commitment: Commitment): number[] =>
  stepsOf(commitment.shape).flatMap((step, index, steps) => (startsAfter(steps[index - 1], step) === null ? [index + 1] : []));

/**
 * Where a step with no start of its own that follows a one-off starts: the day after it ("form a
 * council, then meet four times a year"), or null while that date is to be set. Undefined for any
 * other step (it starts with its own date, or the period's).
 */
function startsAfter(previous: Step | undefined, step: Step, previousDateSet?: IsoDate): IsoDate | null | undefined {
  if (previous?.kind !== 'ONE_OFF' || step.kind === 'ONE_OFF' || step.from) return undefined;
  const date = previous.dueDate ?? previousDateSet;
  return date === undefined ? null : addDays(date, 1);
}

/**
 * The occurrences of the steps that waited for step `after` (a one-off), now that it has a date:
 * they start the day after it, numbered on from `nextSequence`.
 */
export function planWaitingSteps(
  commitment: Commitment,
  period: { start: IsoDate; end: IsoDate },
  plan: PlanOptions,
  { after, date, nextSequence }: { after: number; date: IsoDate; nextSequence: number },
): PlannedOccurrence[] {
  const waiting = new Set(waitingSteps(commitment));
  const planned = planSteps(commitment, period, plan, { step: after, date });
  return numbered(
    planned.flatMap((occurrences, index) => (waiting.has(index + 1) ? (occurrences ?? []) : [])),
    nextSequence,
  );
}

const numbered = (occurrences: Omit<PlannedOccurrence, 'sequence'>[], first: number): PlannedOccurrence[] =>
  occurrences.map((occurrence, i) => ({ ...occurrence, sequence: first + i }));

/** Each step's occurrences in date order, or null for a step still waiting; `dated` gives a to-be-set one-off (step number) its date. */
function planSteps(
  commitment: Commitment,
  period: { start: IsoDate; end: IsoDate },
  plan: PlanOptions,
  dated?: { step: number; date: IsoDate },
): (Omit<PlannedOccurrence, 'sequence'>[] | null)[] {
  const steps = stepsOf(commitment.shape);
  const stepNumber = (index: number) => (commitment.shape.kind === 'STEPS' ? { step: index + 1 } : {});
  return steps.map((step, index) => {
    const start = startsAfter(steps[index - 1], step, dated?.step === index ? dated.date : undefined);
    if (start === null) return null;
    return expandStep(commitment.key, step, period, plan, start)
      .sort(byDueDate)
      .map((occurrence) => ({ ...occurrence, ...stepNumber(index) }));
  });
}

function expandStep(
  commitmentKey: string,
  shape: Step,
  promisePeriod: { start: IsoDate; end: IsoDate },
  { calendar, reportEvery = 'QUARTER' }: PlanOptions,
  startAfterPrevious?: IsoDate,
): Omit<PlannedOccurrence, 'sequence'>[] {
  const base = { commitmentKey };
  /** A part's last day, or with a calendar its last working day (never before the part starts). */
  const lastDay = (partEnd: IsoDate, partStart: IsoDate) => (calendar ? workingDayOnOrBefore(calendar, partEnd, partStart) : partEnd);
  if (shape.kind === 'ONE_OFF') return [{ ...base, dueDate: shape.dueDate ?? null, kind: 'ACTIVITY' }];
  // A step that starts later ("then four a year") counts its periods from its own start.
  const start = shape.from ?? startAfterPrevious;
  const period = start ? { start, end: promisePeriod.end } : promisePeriod;
  if (shape.kind === 'CONTINUOUS') {
    return windows(period.start, period.end, UNIT_MONTHS[shape.reportEvery ?? reportEvery]).map((w) => ({
      ...base,
      dueDate: lastDay(addDays(w.to, -1), w.from),
      kind: 'PROGRESS_REPORT',
    }));
  }
  const months = UNIT_MONTHS[shape.period];
  const promiseEnd = addDays(period.end, 1);
  const dates = windows(period.start, period.end, months).flatMap((w) =>
    shape.within
      ? spreadOverDays(workingDaysAmong(allowedDays(w, shape.within), calendar), shape.count)
      : spreadOverWindow(w.from, promiseEnd, months, shape.count).map((part) => lastDay(part.end, part.start)),
  );
  return dates.map((dueDate) => ({ ...base, dueDate, kind: 'ACTIVITY' }));
}

/**
 * The school year's terms, as most municipalities set them (each sets its own days): the spring
 * term from mid-January to mid-June, the autumn term from the end of August to before Christmas.
 * Activities with pupils are put inside them, never on a summer day.
 */
export const SCHOOL_TERMS = [
  { from: '01-15', to: '06-10' },
  { from: '08-20', to: '12-18' },
] as const;

type Within = NonNullable<Extract<Commitment['shape'], { kind: 'COUNT_PER_PERIOD' }>['within']>;

const inWithin = (date: IsoDate, within: Within): boolean => {
  const monthDay = date.slice(5);
  if (within.kind === 'MONTHS') return within.months.includes(Number(date.slice(5, 7)));
  return SCHOOL_TERMS.some((term) => monthDay >= term.from && monthDay <= term.to);
};

/** The days of a window (end exclusive) that fall within the chosen parts of the year. */
function allowedDays(window: { from: IsoDate; to: IsoDate }, within: Within): IsoDate[] {
  const days: IsoDate[] = [];
  for (let day = window.from; day < window.to; day = addDays(day, 1)) if (inWithin(day, within)) days.push(day);
  return days;
}

/** The working days among `days` (all of them without a calendar, or when none is). */
function workingDaysAmong(days: IsoDate[], calendar?: WorkingCalendar): IsoDate[] {
  const working = calendar ? days.filter((day) => isWorkingDay(calendar, day)) : days;
  return working.length > 0 ? working : days;
}

/** N occurrences over a run of allowed days: N equal shares, each due on its share's last day. */
function spreadOverDays(days: IsoDate[], count: number): IsoDate[] {
  if (days.length === 0) return [];
  const shares = Math.min(count, days.length);
  return Array.from({ length: shares }, (_, i) => days[Math.floor((days.length * (i + 1)) / shares) - 1]!);
}

/**
 * "N per period" over one window of `months` from `from`: the window is split into N equal parts
 * (whole months where N divides them, as two a year into half-years; equal runs of days
 * otherwise) and each occurrence is due on the last day of its own part. A window the promise's
 * end cuts short keeps the parts it covers at least half of, and always one.
 */
function spreadOverWindow(from: IsoDate, promiseEndExclusive: IsoDate, months: number, count: number): { start: IsoDate; end: IsoDate }[] {
  const windowDays = daysBetween(from, addMonths(from, months));
  const boundary = (i: number) =>
    months % count === 0 ? addMonths(from, (months / count) * i) : addDays(from, Math.floor((windowDays * i) / count));
  const due: { start: IsoDate; end: IsoDate }[] = [];
  for (let i = 0; i < count; i++) {
    const start = boundary(i);
    if (start >= promiseEndExclusive) break;
    const fullEnd = boundary(i + 1);
    const end = fullEnd < promiseEndExclusive ? fullEnd : promiseEndExclusive;
    const coversEnough = 2 * daysBetween(start, end) >= daysBetween(start, fullEnd);
    if (coversEnough || due.length === 0) due.push({ start, end: addDays(end, -1) });
  }
  return due;
}

export function expandSchedule(content: PromiseContent, plan: PlanOptions = {}): PlannedOccurrence[] {
  return content.priorityAreas
    .flatMap((area) => area.commitments)
    .flatMap((commitment) => expandCommitment(commitment, content.period, plan))
    .sort((a, b) => byDueDate(a, b) || a.commitmentKey.localeCompare(b.commitmentKey));
}

export type OccurrenceReminderKind = 'BEFORE' | 'DUE' | 'OVERDUE' | 'ESCALATION';

export interface OccurrenceReminder {
  kind: OccurrenceReminderKind;
  /** 1, 2, … for OVERDUE; 0 otherwise. */
  sequence: number;
  at: number;
}

/**
 * When a reminder planned for `at` goes out: with a working-day calendar at REMINDER_HOUR_STOCKHOLM
 * on its Swedish date, or on the working day before when that date is a day off; without one
 * (years planned before the calendar) at `at` itself.
 */
export function onWorkingDay(at: number, calendar?: WorkingCalendar): number {
  if (!calendar) return at;
  return stockholmHourOn(workingDayOnOrBefore(calendar, stockholmDateOf(at)), REMINDER_HOUR_STOCKHOLM);
}

/** The reminders of one occurrence due on `dueDate`, leaving out those before `notBefore`. */
export function occurrenceReminders(
  dueDate: IsoDate,
  settings: ActivitySettings,
  notBefore: number,
  calendar?: WorkingCalendar,
): OccurrenceReminder[] {
  const due = calendar ? stockholmHourOn(dueDate, REMINDER_HOUR_STOCKHOLM) : reminderTime(dueDate);
  const overdue = durationToMs(settings.overdueInterval);
  const planned: OccurrenceReminder[] = [
    { kind: 'BEFORE', sequence: 0, at: due - durationToMs(settings.remindBefore) },
    { kind: 'DUE', sequence: 0, at: due },
    ...Array.from({ length: settings.maxOverdueReminders }, (_, i) => ({
      kind: 'OVERDUE' as const,
      sequence: i + 1,
      at: due + (i + 1) * overdue,
    })),
    { kind: 'ESCALATION', sequence: 0, at: due + durationToMs(settings.escalateAfterOverdue) },
  ];
  const reminders = planned.map((r) => ({ ...r, at: onWorkingDay(r.at, calendar) }));
  return reminders.filter((r) => r.at >= notBefore).sort((a, b) => a.at - b.at || (a.kind === 'ESCALATION' ? 1 : -1));
}

/**
 * When the coordinator is asked for the date of a one-off whose date is to be set, the
 * `requestsSent`th time: as the year starts, then every dateRequestInterval, while the period lasts.
 */
export function dateRequestTime(
  year: { activatedAt: number; settings: ActivitySettings; period: { end: IsoDate } },
  requestsSent: number,
): number | undefined {
  const at = year.activatedAt + requestsSent * durationToMs(year.settings.dateRequestInterval);
  return at < periodEndTime(year.period.end) ? at : undefined;
}

/** Follow-up periods: yearly from the start, the last one ending with the promise (and final). */
export function followUpPeriods(period: { start: IsoDate; end: IsoDate }) {
  return windows(period.start, period.end, 12).map((w, index, all) => ({
    index: index + 1,
    start: w.from,
    end: addDays(w.to, -1),
    final: index === all.length - 1,
  }));
}

export const periodEndTime = (end: IsoDate): number => toEpoch(addDays(end, 1));

/** Why a text with this period cannot go out for signing at `now` (its period has ended), if it cannot. */
export function periodEndedRefusal(period: { start: IsoDate; end: IsoDate }, now: number): string | undefined {
  if (periodEndTime(period.end) > now) return undefined;
  return `Perioden ${period.start} – ${period.end} har redan tagit slut. Ändra perioden innan löftet skickas för signering.`;
}

/** When an annually renewed promise launches its renewal by itself. */
export const renewalTime = (period: { end: IsoDate }, settings: ActivitySettings): number =>
  periodEndTime(period.end) - durationToMs(settings.renewalLeadTime);

/**
 * The whole year: every occurrence with its contact and reminders, the steps still waiting for a
 * date, the follow-ups and the automatic renewal. Before signing, as planned; once the year has its
 * records (`recorded`), the occurrences as they stand in them (dates set or moved since, steps planned
 * since). The workflow acts on these same functions after signing.
 */
export function previewSchedule(
  content: PromiseContent,
  settings: ActivitySettings,
  { recorded, calendar }: { recorded?: readonly PlannedOccurrence[]; calendar?: WorkingCalendar } = {},
) {
  const commitments = new Map(
    content.priorityAreas.flatMap((area) => area.commitments.map((c) => [c.key, { area, commitment: c }] as const)),
  );
  const at = (epoch: number) => new Date(epoch).toISOString();
  const occurrences = recorded
    ? [...recorded].sort(byDueDate)
    : expandSchedule(content, { calendar, reportEvery: settings.progressReportEvery });
  // A year planned before steps were numbered (no step on its rows) planned every step at signing.
  const stillWaiting = (commitmentKey: string, step: number) =>
    !recorded?.some((o) => o.commitmentKey === commitmentKey && (o.step === step || o.step === undefined));
  return {
    period: content.period,
    occurrences: occurrences.map((planned) => {
      const { area, commitment } = commitments.get(planned.commitmentKey)!;
      return {
        commitmentKey: planned.commitmentKey,
        sequence: planned.sequence,
        ...(planned.step ? { step: planned.step } : {}),
        dueDate: planned.dueDate,
        kind: planned.kind,
        priorityArea: area.title,
        commitment: commitment.text,
        contacts: contactsOf(commitment),
        reminders: planned.dueDate
          ? occurrenceReminders(planned.dueDate, settings, -Infinity, calendar).map((r) => ({ ...r, at: at(r.at) }))
          : [],
        ...(planned.dueDate ? {} : { coordinatorAskedEvery: settings.dateRequestInterval }),
      };
    }),
    waitingSteps: [...commitments.values()].flatMap(({ area, commitment }) =>
      waitingSteps(commitment)
        .filter((step) => stillWaiting(commitment.key, step))
        .map((step) => ({ commitmentKey: commitment.key, step, priorityArea: area.title, commitment: commitment.text })),
    ),
    followUps: followUpPeriods(content.period).map((f) => ({ ...f, draftedAt: at(periodEndTime(f.end)) })),
    renewalAt: content.renewal === 'ANNUAL' ? at(renewalTime(content.period, settings)) : null,
  };
}
