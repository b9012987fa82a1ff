import { z } from 'zod';
import { DurationSchema } from './durations';

/** How a promise is signed and chased. Every duration is per promise (tests shorten them). */
export const SigningSettingsSchema = z
  .object({
    order: z
      .enum(['PARALLEL', 'GROUPED'])
      .default('PARALLEL')
      .describe('PARALLEL: alla samtidigt. GROUPED: signeringsgrupp 1 först, sedan 2, …'),
    firstReminderAfter: DurationSchema.default('3d'),
    reminderInterval: DurationSchema.default('4d'),
    maxReminders: z.number().int().min(0).max(20).default(4),
    deadlineWarningBefore: DurationSchema.default('3d'),
    escalateAfter: DurationSchema.default('21d').describe('när samordnaren får veta vilka som inte signerat'),
    deadline: DurationSchema.default('30d'),
  })
  .strict();

export type SigningSettings = z.infer<typeof SigningSettingsSchema>;

/** Reminders to the people responsible for activities, and the year's follow-up and renewal. */
export const ActivitySettingsSchema = z
  .object({
    remindBefore: DurationSchema.default('14d'),
    overdueInterval: DurationSchema.default('7d'),
    maxOverdueReminders: z.number().int().min(0).max(20).default(4),
    escalateAfterOverdue: DurationSchema.default('14d').describe('när samordnaren får veta att en aktivitet är försenad'),
    dateRequestInterval: DurationSchema.default('14d').describe(
      'hur ofta samordnaren påminns om ett datum som ska bestämmas, tills det är satt',
    ),
    followUpReminderInterval: DurationSchema.default('7d').describe('påminnelse till samordnaren tills uppföljningen publiceras'),
    maxFollowUpReminders: z.number().int().min(0).max(52).default(8).describe('högst så många påminnelser om en uppföljning'),
    renewalLeadTime: DurationSchema.default('60d').describe('när förnyelsen startar av sig själv före periodens slut (årliga löften)'),
  })
  .strict();

export type ActivitySettings = z.infer<typeof ActivitySettingsSchema>;

export const PromiseSettingsSchema = z
  .object({
    signing: SigningSettingsSchema.default(SigningSettingsSchema.parse({})),
    activities: ActivitySettingsSchema.default(ActivitySettingsSchema.parse({})),
  })
  .strict();

export type PromiseSettings = z.infer<typeof PromiseSettingsSchema>;

export const DEFAULT_SETTINGS: PromiseSettings = PromiseSettingsSchema.parse({});
