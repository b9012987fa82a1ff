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

export const PromiseSettingsSchema = z
  .object({
    signing: SigningSettingsSchema.default(SigningSettingsSchema.parse({})),
  })
  .strict();

export type PromiseSettings = z.infer<typeof PromiseSettingsSchema>;

export const DEFAULT_SETTINGS: PromiseSettings = PromiseSettingsSchema.parse({});
