import { z } from 'zod';
import { PromiseContentSchema } from './content';
import { PromiseSettingsSchema } from './settings';

// The API's inputs. The OpenAPI document is generated from these same schemas.

export const PromiseIdParamsSchema = z.object({ id: z.uuid('ska vara ett löftes id (UUID)') });

export const CreatePromiseRequestSchema = z
  .object({
    content: PromiseContentSchema,
    settings: PromiseSettingsSchema.optional(),
  })
  .strict();

export const ReviseContentRequestSchema = z.object({ content: PromiseContentSchema }).strict();

export const WithdrawRequestSchema = z
  .object({ reason: z.string().trim().min(1, 'ange ett skäl').max(2000) })
  .strict();

export const SignFormSchema = z.object({
  decision: z.enum(['SIGN', 'DECLINE'], 'välj att signera eller avböja'),
  reason: z
    .string()
    .trim()
    .max(2000)
    .optional()
    .transform((v) => (v === '' ? undefined : v)),
  documentSha256: z.string().regex(/^[0-9a-f]{64}$/, 'ska vara dokumentets SHA-256 (64 hexadecimala tecken)'),
});

/** A signing link's token: 32 random bytes, base64url. */
export const AccessTokenSchema = z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'länken är ofullständig eller felaktig');
