import { z } from 'zod';
import { DEFAULT_SETTINGS } from './default-settings';
import { DURATION_PATTERN, durationRangeProblem } from './durations';

export const DurationSchema = z
  .string()
  .regex(DURATION_PATTERN, 'ska vara ett heltal följt av s, m, h eller d, t.ex. "3d"')
  .superRefine((duration, ctx) => {
    const problem = durationRangeProblem(duration);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

const { signing, activities } = DEFAULT_SETTINGS;

/** How a promise is signed and chased. Every duration is per promise (tests shorten them). */
export const SigningSettingsSchema = z
  .object({
    order: z
      .enum(['PARALLEL', 'GROUPED'])
      .default(signing.order)
      .describe('PARALLEL: alla samtidigt. GROUPED: signeringsgrupp 1 först, sedan 2, …'),
    firstReminderAfter: DurationSchema.default(signing.firstReminderAfter),
    reminderInterval: DurationSchema.default(signing.reminderInterval),
    maxReminders: z.number().int().min(0).max(20).default(signing.maxReminders),
    deadlineWarningBefore: DurationSchema.default(signing.deadlineWarningBefore),
    escalateAfter: DurationSchema.default(signing.escalateAfter).describe('när samordnaren får veta vilka som inte signerat'),
    deadline: DurationSchema.default(signing.deadline),
  })
  .strict();

export type SigningSettings = z.infer<typeof SigningSettingsSchema>;

/** Reminders to the people responsible for activities, and the year's follow-up and renewal. */
export const ActivitySettingsSchema = z
  .object({
    remindBefore: DurationSchema.default(activities.remindBefore),
    overdueInterval: DurationSchema.default(activities.overdueInterval),
    maxOverdueReminders: z.number().int().min(0).max(20).default(activities.maxOverdueReminders),
    escalateAfterOverdue: DurationSchema.default(activities.escalateAfterOverdue).describe(
      'när samordnaren får veta att en aktivitet är försenad',
    ),
    dateRequestInterval: DurationSchema.default(activities.dateRequestInterval).describe(
      'hur ofta samordnaren påminns om ett datum som ska bestämmas, tills det är satt',
    ),
    progressReportEvery: z
      .enum(['MONTH', 'QUARTER', 'HALF_YEAR'])
      .default(activities.progressReportEvery)
      .describe('hur ofta en löpande insats rapporteras när texten inte säger det (skrivs inte in i texten)'),
    maxDateRequests: z
      .number()
      .int()
      .min(1)
      .max(26)
      .default(activities.maxDateRequests)
      .describe('högst så många gånger ombeds samordnaren sätta ett datum; sedan ett sista besked, och därefter tystnad'),
    followUpReminderInterval: DurationSchema.default(activities.followUpReminderInterval).describe(
      'påminnelse till samordnaren tills uppföljningen publiceras',
    ),
    maxFollowUpReminders: z
      .number()
      .int()
      .min(0)
      .max(52)
      .default(activities.maxFollowUpReminders)
      .describe('högst så många påminnelser om en uppföljning'),
    renewalLeadTime: DurationSchema.default(activities.renewalLeadTime).describe(
      'när förnyelsen startar av sig själv före periodens slut (årliga löften)',
    ),
  })
  .strict();

export type ActivitySettings = z.infer<typeof ActivitySettingsSchema>;

export const PromiseSettingsSchema = z
  .object({
    signing: SigningSettingsSchema.default(signing),
    activities: ActivitySettingsSchema.default(activities),
  })
  .strict();

export type PromiseSettings = z.infer<typeof PromiseSettingsSchema>;
