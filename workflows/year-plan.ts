// The bookkeeping of an active promise's year, as plain JSON that survives continue-as-new: which
// occurrences are open, which reminders went out, where each follow-up stands, and what is due
// next. No I/O and no timers here; the lifecycle workflow acts on what this says.
import type { WorkingCalendar } from '../domain/calendar';
import { durationToMs } from '../domain/durations';
import type { ActivityReport } from '../domain/requests';
import {
  dateRequestTime,
  followUpPeriods,
  occurrenceReminders,
  periodEndTime,
  renewalTime,
  type OccurrenceReminder,
} from '../domain/schedule';
import { DEFAULT_SETTINGS } from '../domain/default-settings';
import type { ActivitySettings } from '../domain/settings';
import type { ScheduledOccurrence } from '../store/year';

export interface OccurrenceState extends ScheduledOccurrence {
  open: boolean;
  /** Reminders sent for the current due date, as "KIND:sequence". */
  sent: string[];
  /** Set by a postponement: reminders for the new date that fell before it are skipped. */
  remindFrom?: number;
  /** While the date is to be set: how many times the coordinator has been asked for it. */
  dateRequestsSent?: number;
}

export interface FollowUpState {
  index: number;
  start: string;
  end: string;
  final: boolean;
  status: 'PENDING' | 'DRAFT' | 'PUBLISHED';
  remindersSent: number;
  /** When the next reminder to publish goes out (DRAFT only). */
  nextReminderAt?: number;
}

export interface YearState {
  activatedAt: number;
  settings: ActivitySettings;
  /** The days off reminders avoid; absent in years planned before it, whose reminders keep 07:00 UTC. */
  calendar?: WorkingCalendar;
  period: { start: string; end: string };
  renewal: 'ANNUAL' | 'NONE';
  occurrences: OccurrenceState[];
  followUps: FollowUpState[];
  renewalId?: string;
}

export type YearEvent =
  | { type: 'REMINDER'; at: number; occurrence: OccurrenceState; reminder: OccurrenceReminder; dueDate: string }
  /** `last`: the request after the limit, which says no more will come. */
  | { type: 'DATE_REQUEST'; at: number; occurrence: OccurrenceState; sequence: number; last: boolean }
  | { type: 'FOLLOW_UP'; at: number; followUp: FollowUpState }
  | { type: 'RENEWAL'; at: number };

export function startYear(input: {
  activatedAt: number;
  settings: ActivitySettings;
  calendar?: WorkingCalendar;
  period: { start: string; end: string };
  renewal: 'ANNUAL' | 'NONE';
  occurrences: ScheduledOccurrence[];
}): YearState {
  return {
    ...input,
    occurrences: input.occurrences.map((o) => ({ ...o, open: true, sent: [] })),
    followUps: followUpPeriods(input.period).map((p) => ({ ...p, status: 'PENDING', remindersSent: 0 })),
  };
}

const reminderKey = (r: OccurrenceReminder) => `${r.kind}:${r.sequence}`;

/** Settings carried over from runs before the limit existed lack it: they get the default. */
const followUpReminderLimit = (settings: Partial<ActivitySettings>) =>
  settings.maxFollowUpReminders ?? DEFAULT_SETTINGS.activities.maxFollowUpReminders;

/** The earliest thing still to happen, if any. */
export function nextEvent(year: YearState): YearEvent | undefined {
  const events: YearEvent[] = [];
  for (const occurrence of year.occurrences) {
    if (!occurrence.open) continue;
    if (occurrence.dueDate === null) {
      const sequence = occurrence.dateRequestsSent ?? 0;
      // Years begun before the limit existed carry settings without it: asked until the period ends, as they were.
      const limit = (year.settings as Partial<ActivitySettings>).maxDateRequests;
      const at = limit === undefined || sequence <= limit ? dateRequestTime(year, sequence) : undefined;
      if (at !== undefined) events.push({ type: 'DATE_REQUEST', at, occurrence, sequence, last: sequence === limit });
      continue;
    }
    const notBefore = Math.max(year.activatedAt, occurrence.remindFrom ?? 0);
    const reminder = occurrenceReminders(occurrence.dueDate, year.settings, notBefore, year.calendar).find(
      (r) => !occurrence.sent.includes(reminderKey(r)),
    );
    if (reminder) events.push({ type: 'REMINDER', at: reminder.at, occurrence, reminder, dueDate: occurrence.dueDate });
  }
  for (const followUp of year.followUps) {
    if (followUp.status === 'PENDING') events.push({ type: 'FOLLOW_UP', at: periodEndTime(followUp.end), followUp });
    if (followUp.status === 'DRAFT' && followUp.remindersSent < followUpReminderLimit(year.settings)) {
      events.push({ type: 'FOLLOW_UP', at: followUp.nextReminderAt!, followUp });
    }
  }
  if (year.renewal === 'ANNUAL' && !year.renewalId) {
    events.push({ type: 'RENEWAL', at: renewalTime(year.period, year.settings) });
  }
  return events.sort((a, b) => a.at - b.at)[0];
}

/**
 * Marks a reminder for `dueDate` as sent. A postponement that arrived while it went out has moved
 * the occurrence to a new date with a fresh set of reminders, which this one does not belong to.
 */
export function markReminderSent(occurrence: OccurrenceState, reminder: OccurrenceReminder, dueDate: string): void {
  if (occurrence.dueDate === dueDate) occurrence.sent.push(reminderKey(reminder));
}

export function markFollowUpRequested(year: YearState, followUp: FollowUpState, now: number): void {
  if (followUp.status === 'PENDING') followUp.status = 'DRAFT';
  else followUp.remindersSent += 1;
  followUp.nextReminderAt = now + durationToMs(year.settings.followUpReminderInterval);
}

/** The coordinator was asked for a date still to be set (once more). */
export function markDateRequested(occurrence: OccurrenceState): void {
  occurrence.dateRequestsSent = (occurrence.dateRequestsSent ?? 0) + 1;
}

/**
 * A report closes the occurrence, or for a postponement or a date set moves it with a fresh set of
 * reminders from `now` on (a new date within two weeks gets no late "coming up" reminder).
 */
export function applyReport(occurrence: OccurrenceState, report: ActivityReport, now: number): void {
  if (report.kind === 'POSTPONED' || report.kind === 'DATE_SET') {
    occurrence.dueDate = report.newDueDate;
    occurrence.open = true;
    occurrence.sent = [];
    occurrence.remindFrom = now;
  } else {
    occurrence.open = false;
  }
}

/**
 * Occurrences planned during the year (the steps that waited for a one-off's date) join it; their
 * reminders count from `now` on, so a step planned late does not send the ones already past.
 */
export function addOccurrences(year: YearState, planned: readonly ScheduledOccurrence[], now: number): void {
  for (const occurrence of planned) {
    if (year.occurrences.some((o) => o.occurrenceId === occurrence.occurrenceId)) continue;
    year.occurrences.push({ ...occurrence, open: true, sent: [], remindFrom: now });
  }
}

/**
 * The year as the records tell it, for a run that starts again after a fault: what is reported
 * stays closed, follow-ups keep their place, and reminders count from `now` on (none that fell due
 * while no run was going are sent late).
 */
export function adoptYear(
  recorded: Omit<Parameters<typeof startYear>[0], 'activatedAt'> & {
    open: string[];
    followUps: { index: number; status: 'DRAFT' | 'PUBLISHED'; remindersSent: number }[];
    renewalId?: string;
  },
  now: number,
): YearState {
  const year = startYear({ ...recorded, activatedAt: now });
  for (const occurrence of year.occurrences) occurrence.open = recorded.open.includes(occurrence.occurrenceId);
  for (const followUp of year.followUps) {
    const record = recorded.followUps.find((f) => f.index === followUp.index);
    if (!record) continue;
    followUp.status = record.status;
    followUp.remindersSent = record.remindersSent;
    if (record.status === 'DRAFT') followUp.nextReminderAt = now + durationToMs(year.settings.followUpReminderInterval);
  }
  if (recorded.renewalId) year.renewalId = recorded.renewalId;
  return year;
}
