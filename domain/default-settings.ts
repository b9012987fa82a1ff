// The settings a promise gets when it names none. Apart from the schemas (domain/settings.ts), so
// the workflow bundle, which needs the defaults for state carried over from older runs, has no zod.
// The schemas take their defaults from here, which checks each value's type.

export const DEFAULT_SETTINGS = {
  signing: {
    order: 'PARALLEL' as const,
    firstReminderAfter: '3d',
    reminderInterval: '4d',
    maxReminders: 4,
    deadlineWarningBefore: '3d',
    escalateAfter: '21d',
    deadline: '30d',
  },
  activities: {
    remindBefore: '14d',
    overdueInterval: '7d',
    maxOverdueReminders: 4,
    escalateAfterOverdue: '14d',
    dateRequestInterval: '14d',
    maxDateRequests: 4,
    progressReportEvery: 'QUARTER' as const,
    followUpReminderInterval: '7d',
    maxFollowUpReminders: 8,
    renewalLeadTime: '60d',
  },
};
