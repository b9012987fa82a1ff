import { addDays, addMonths, daysBetween, reminderTime, toEpoch, type IsoDate } from './calendar';
import type { Commitment, PromiseContent } from './content';
import { durationToMs } from './durations';
import type { ActivitySettings } from './settings';

// From commitments to dated occurrences across the period, and from an occurrence to its
// reminders. Pure: the preview before signing and the workflow after it use these same functions.

const UNIT_MONTHS = { YEAR: 12, HALF_YEAR: 6, QUARTER: 3, MONTH: 1 } as const;

export interface PlannedOccurrence {
  commitmentKey: string;
  sequence: number;
  dueDate: IsoDate;
  /** ACTIVITY: something to do and report; PROGRESS_REPORT: a continuous effort's periodic report. */
  kind: 'ACTIVITY' | 'PROGRESS_REPORT';
}

/** Consecutive windows of `months` from start; the last is cut at the period's end. End is exclusive. */
function windows(start: IsoDate, endInclusive: IsoDate, months: number) {
  const end = addDays(endInclusive, 1);
  const result: { from: IsoDate; to: IsoDate; full: boolean }[] = [];
  for (let from = start; from < end; ) {
    const next = addMonths(from, months);
    result.push({ from, to: next < end ? next : end, full: next <= end });
    from = next;
  }
  return result;
}

export function expandCommitment(commitment: Commitment, period: { start: IsoDate; end: IsoDate }): PlannedOccurrence[] {
  const { shape } = commitment;
  const base = { commitmentKey: commitment.key };
  if (shape.kind === 'ONE_OFF') return [{ ...base, sequence: 1, dueDate: shape.dueDate, kind: 'ACTIVITY' }];
  if (shape.kind === 'CONTINUOUS') {
    return windows(period.start, period.end, UNIT_MONTHS[shape.reportEvery]).map((w, i) => ({
      ...base,
      sequence: i + 1,
      dueDate: addDays(w.to, -1),
      kind: 'PROGRESS_REPORT',
    }));
  }
  // A count per period is spread evenly over each period: "two a year" is one per half-year.
  const dates: IsoDate[] = [];
  for (const w of windows(period.start, period.end, UNIT_MONTHS[shape.period])) {
    const length = daysBetween(w.from, w.to);
    const fullLength = daysBetween(w.from, addMonths(w.from, UNIT_MONTHS[shape.period]));
    const count = w.full ? shape.count : Math.max(1, Math.round((shape.count * length) / fullLength));
    for (let i = 1; i <= count; i++) dates.push(addDays(w.from, Math.floor((length * i) / count) - 1));
  }
  return dates.map((dueDate, i) => ({ ...base, sequence: i + 1, dueDate, kind: 'ACTIVITY' }));
}

export function expandSchedule(content: PromiseContent): PlannedOccurrence[] {
  return content.priorityAreas
    .flatMap((area) => area.commitments)
    .flatMap((commitment) => expandCommitment(commitment, content.period))
    .sort((a, b) => a.dueDate.localeCompare(b.dueDate) || a.commitmentKey.localeCompare(b.commitmentKey));
}

export type OccurrenceReminderKind = 'BEFORE' | 'DUE' | 'OVERDUE' | 'ESCALATION';

export interface OccurrenceReminder {
  kind: OccurrenceReminderKind;
  /** 1, 2, … for OVERDUE; 0 otherwise. */
  sequence: number;
  at: number;
}

/** The reminders of one occurrence due on `dueDate`, leaving out those before `notBefore`. */
export function occurrenceReminders(dueDate: IsoDate, settings: ActivitySettings, notBefore: number): OccurrenceReminder[] {
  const due = reminderTime(dueDate);
  const overdue = durationToMs(settings.overdueInterval);
  const reminders: OccurrenceReminder[] = [
    { kind: 'BEFORE', sequence: 0, at: due - durationToMs(settings.remindBefore) },
    { kind: 'DUE', sequence: 0, at: due },
    ...Array.from({ length: settings.maxOverdueReminders }, (_, i) => ({ kind: 'OVERDUE' as const, sequence: i + 1, at: due + (i + 1) * overdue })),
    { kind: 'ESCALATION', sequence: 0, at: due + durationToMs(settings.escalateAfterOverdue) },
  ];
  return reminders.filter((r) => r.at >= notBefore).sort((a, b) => a.at - b.at || (a.kind === 'ESCALATION' ? 1 : -1));
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

/** When an annually renewed promise launches its renewal by itself. */
export const renewalTime = (period: { end: IsoDate }, settings: ActivitySettings): number =>
  periodEndTime(period.end) - durationToMs(settings.renewalLeadTime);

/**
 * The whole year as planned, before signing: every occurrence with its contact and reminders, the
 * follow-ups and the automatic renewal. The workflow acts on these same functions after signing.
 */
export function previewSchedule(content: PromiseContent, settings: ActivitySettings) {
  const commitments = new Map(content.priorityAreas.flatMap((area) => area.commitments.map((c) => [c.key, { area, commitment: c }] as const)));
  const at = (epoch: number) => new Date(epoch).toISOString();
  return {
    period: content.period,
    occurrences: expandSchedule(content).map((planned) => {
      const { area, commitment } = commitments.get(planned.commitmentKey)!;
      return {
        ...planned,
        priorityArea: area.title,
        commitment: commitment.text,
        contact: commitment.contact ?? null,
        reminders: occurrenceReminders(planned.dueDate, settings, -Infinity).map((r) => ({ ...r, at: at(r.at) })),
      };
    }),
    followUps: followUpPeriods(content.period).map((f) => ({ ...f, draftedAt: at(periodEndTime(f.end)) })),
    renewalAt: content.renewal === 'ANNUAL' ? at(renewalTime(content.period, settings)) : null,
  };
}
