import { durationToMs } from './durations';
import type { SigningSettings } from './settings';

// When a signing round chases its signatories. Pure, so the workflow's timers, the preview
// and the tests all read the same plan. Times are epoch milliseconds.

export type SigningMilestoneKind = 'ESCALATION' | 'DEADLINE_WARNING' | 'DEADLINE';

export interface SigningMilestone {
  kind: SigningMilestoneKind;
  at: number;
}

/** Round-wide milestones, in time order; the deadline is always last. */
export function roundMilestones(settings: SigningSettings, roundStartedAt: number): SigningMilestone[] {
  const deadline = roundStartedAt + durationToMs(settings.deadline);
  const milestones: SigningMilestone[] = [
    { kind: 'ESCALATION', at: roundStartedAt + durationToMs(settings.escalateAfter) },
    { kind: 'DEADLINE_WARNING', at: deadline - durationToMs(settings.deadlineWarningBefore) },
  ].filter((m) => m.at > roundStartedAt && m.at < deadline) as SigningMilestone[];
  milestones.push({ kind: 'DEADLINE', at: deadline });
  return milestones.sort((a, b) => a.at - b.at);
}

/** Reminder times for a group of signatories whose requests went out at groupStartedAt. */
export function reminderTimes(settings: SigningSettings, groupStartedAt: number, roundStartedAt: number): number[] {
  const deadline = roundStartedAt + durationToMs(settings.deadline);
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
