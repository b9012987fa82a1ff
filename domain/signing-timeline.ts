import { addDays, stockholmHourOn, type IsoDate } from './calendar';
import { durationToMs } from './durations';
import type { SigningSettings } from './settings';

// When a signing round chases its signatories. Pure, so the workflow's timers, the preview
// and the tests all read the same plan. Times are epoch milliseconds.

export type SigningMilestoneKind = 'ESCALATION' | 'DEADLINE_WARNING' | 'DEADLINE';

export interface SigningMilestone {
  kind: SigningMilestoneKind;
  at: number;
}

/** A round's deadline as its settings give it. */
export const settingsDeadline = (settings: SigningSettings, roundStartedAt: number): number =>
  roundStartedAt + durationToMs(settings.deadline);

/** A round's deadline as it stands: the one it was moved to, or the settings'. */
export const roundDeadline = (round: { deadline: Date | null; startedAt: Date }, settings: SigningSettings): number =>
  round.deadline?.getTime() ?? settingsDeadline(settings, round.startedAt.getTime());

/** A deadline the coordinator sets to a date: the end of that day in Sweden (23:59). */
export const deadlineOnDate = (date: IsoDate): number => stockholmHourOn(addDays(date, 1), 0) - 60_000;

/** Round-wide milestones, in time order; the deadline (the settings', or the one it was moved to) is always last. */
export function roundMilestones(
  settings: SigningSettings,
  roundStartedAt: number,
  deadline = settingsDeadline(settings, roundStartedAt),
): SigningMilestone[] {
  const milestones: SigningMilestone[] = [
    { kind: 'ESCALATION', at: roundStartedAt + durationToMs(settings.escalateAfter) },
    { kind: 'DEADLINE_WARNING', at: deadline - durationToMs(settings.deadlineWarningBefore) },
  ].filter((m) => m.at > roundStartedAt && m.at < deadline) as SigningMilestone[];
  milestones.push({ kind: 'DEADLINE', at: deadline });
  return milestones.sort((a, b) => a.at - b.at);
}

/** Reminder times for a group of signatories whose requests went out at groupStartedAt, before the deadline. */
export function reminderTimes(settings: SigningSettings, groupStartedAt: number, deadline: number): number[] {
  const first = groupStartedAt + durationToMs(settings.firstReminderAfter);
  const interval = durationToMs(settings.reminderInterval);
  const times: number[] = [];
  for (let i = 0; i < settings.maxReminders; i++) {
    const at = first + i * interval;
    if (at >= deadline) break;
    times.push(at);
  }
  return times;
}
