import { z } from 'zod';
import { normalisedPersonalNumber } from './bankid';
import { IsoDateSchema, PromiseContentSchema } from './content';
import { REPORT_FORM_FIELDS } from './report-rules';
import type { RetentionPolicy } from './retention';
import { PromiseSettingsSchema } from './settings';
import { formFields, formText, lineText, longText, phoneNumber, webUrl, withLongTextRules } from './text-schemas';

// The API's inputs. The OpenAPI document is generated from these same schemas.

export const PromiseIdParamsSchema = z.object({ id: z.uuid('ska vara ett löftes id (UUID)') });

export const ContactCalendarParamsSchema = z.object({
  promiseId: z.uuid('ska vara ett löftes id (UUID)'),
  key: z
    .string()
    .regex(/^[A-Za-z0-9_-]{43}$/, 'ska vara nyckeln ur länken (43 tecken)')
    .describe('nyckeln ur kontaktpersonens kalenderlänk'),
});

export const CreatePromiseRequestSchema = z
  .object({
    content: PromiseContentSchema,
    settings: PromiseSettingsSchema.optional(),
  })
  .strict();

export const ReviseContentRequestSchema = z.object({ content: PromiseContentSchema }).strict();

export const MoveDeadlineRequestSchema = z
  .object({
    deadline: IsoDateSchema.describe('den nya sista dagen att signera (till och med), senare än den nuvarande och inom löftets period'),
  })
  .strict();

/** A colleague invited into one of the coordinator's organisations (the web app's form). */
export const ColleagueInviteSchema = z
  .object({
    organisationId: z.uuid('välj en organisation'),
    name: lineText(200, 'ange namnet'),
    email: z.email('ska vara en giltig e-postadress'),
    phone: z.preprocess((value) => (value === '' ? undefined : value), phoneNumber().optional()),
  })
  .strict();

/** A person's data looked up by their address (access, art. 15). */
export const PersonLookupSchema = z.object({ email: z.email('ska vara en giltig e-postadress') }).strict();

/** A person's address erased at their request (art. 17), with the reason kept in the audit log. */
export const ErasureRequestSchema = z
  .object({ email: z.email('ska vara en giltig e-postadress'), reason: lineText(500, 'ange ett skäl') })
  .strict();

/** A retention limit an organisation sets: empty for the installation's, else a whole number up to it. */
const shorterLimit = (installation: number) =>
  z.preprocess(
    (value) => (value === '' || value === undefined ? null : value),
    z.coerce
      .number()
      .int('ska vara ett heltal')
      .min(1, 'ska vara minst 1')
      .max(installation, `får vara högst ${installation} (tjänstens gräns)`)
      .nullable(),
  );

/** An organisation's shorter retention (the web app's form), within the installation's limits. */
export const organisationRetentionSchema = (installation: RetentionPolicy) =>
  z
    .object({
      organisationId: z.uuid('välj en organisation'),
      retentionTechnicalDays: shorterLimit(installation.technicalDays),
      retentionAddressMonths: shorterLimit(installation.addressMonths),
    })
    .strict();

export const WithdrawRequestSchema = z.object({ reason: longText(2000, 'ange ett skäl') }).strict();

export const SignatoryParamsSchema = PromiseIdParamsSchema.extend({
  key: z.string().min(1).max(100).describe('undertecknarens nyckel i löftets text'),
});

/** A personal identity number typed as people write them; the API keeps twelve digits, sealed. */
export const PersonalNumberField = z
  .string()
  .max(20)
  .meta({ pattern: '^\\s*(\\d{2})?\\d{6}[-+]?\\d{4}\\s*$' })
  .transform((typed, context) => {
    const normalised = normalisedPersonalNumber(typed);
    if (!normalised) {
      context.addIssue({ code: 'custom', message: 'ska vara ett giltigt personnummer (ÅÅÅÅMMDD-NNNN)' });
      return z.NEVER;
    }
    return normalised;
  })
  .describe('personnumret, ÅÅÅÅMMDD-NNNN eller ÅÅMMDD-NNNN; visas sedan bara som de fyra sista siffrorna');

export const PersonalNumberRequestSchema = z.object({ personalNumber: PersonalNumberField }).strict();

export const BankIdReviewParamsSchema = PromiseIdParamsSchema.extend({ orderId: z.uuid('ska vara en BankID-orders id') });
export const BankIdReviewRequestSchema = z
  .object({ accept: z.boolean().describe('true: underskriften godtas; false: undertecknaren får skriva under igen') })
  .strict();

export const AddressCorrectionRequestSchema = z
  .object({
    previous: z.email('ska vara en giltig e-postadress').describe('adressen som ska rättas, som den står i löftet'),
    email: z.email('ska vara en giltig e-postadress').describe('den rätta adressen'),
  })
  .strict()
  .refine((body) => body.previous.toLowerCase() !== body.email.toLowerCase(), {
    path: ['email'],
    message: 'är samma som den gamla adressen',
  });

export const SignFormSchema = formFields({
  decision: z.enum(['SIGN', 'DECLINE'], 'välj att signera eller avböja'),
  reason: withLongTextRules(z.string().trim().max(2000))
    .optional()
    .transform((v) => (v === '' ? undefined : v)),
  documentSha256: z.string().regex(/^[0-9a-f]{64}$/, 'ska vara dokumentets SHA-256 (64 hexadecimala tecken)'),
});

/** Signing with BankID: where the person's BankID is, and the text they were shown. */
export const BankIdStartFormSchema = formFields({
  device: z.enum(['same', 'other'], 'välj BankID på den här enheten eller på en annan'),
  documentSha256: SignFormSchema.shape.documentSha256,
});

/** A BankID order's page under a personal link. */
export const BankIdOrderParamsSchema = z.object({
  token: formText().describe('den personliga länkens nyckel'),
  orderId: z.uuid().describe('BankID-orderns id'),
});

/** A personal link's path; a malformed key is answered like an unknown one (a 404 page). */
export const LinkParamsSchema = z.object({ token: formText().describe('den personliga länkens nyckel, ur e-postmeddelandet') });

/** A personal link page's language: Swedish unless asked otherwise. */
export const LinkQuerySchema = z.object({
  // Anything but "en" is Swedish: a person's link with a mangled query still opens.
  sprak: formText().optional().describe('sidans språk: en för engelska; annars svenska'),
});

/** A signing link's token: 32 random bytes, base64url. */
export const AccessTokenSchema = z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'länken är ofullständig eller felaktig');

const optionalText = (max: number) => longText(max).optional();

/**
 * A report on one occurrence: done, a progress report, cancelled or postponed (both with reason),
 * or the date of a one-off whose date was to be set.
 */
export const ActivityReportSchema = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('DONE'),
      performedOn: IsoDateSchema,
      description: longText(4000, 'beskriv vad som gjordes'),
      participants: z.coerce.number().int().min(0).max(100000).optional(),
      hours: z.coerce.number().min(0).max(10000).optional(),
      link: webUrl().optional(),
    })
    .strict(),
  z
    .object({
      kind: z.literal('PROGRESS'),
      description: longText(4000, 'beskriv läget'),
      link: webUrl().optional(),
    })
    .strict(),
  z.object({ kind: z.literal('CANCELLED'), reason: longText(2000, 'ange skälet') }).strict(),
  z.object({ kind: z.literal('POSTPONED'), newDueDate: IsoDateSchema, reason: longText(2000, 'ange skälet') }).strict(),
  z
    .object({
      kind: z.literal('DATE_SET'),
      newDueDate: IsoDateSchema.describe('det bestämda datumet'),
      reason: optionalText(2000).describe('t.ex. vad datumet hänger på'),
    })
    .strict(),
]);
export const REPORT_KINDS = ActivityReportSchema.options.map((option) => option.shape.kind.value);
export type ActivityReport = z.infer<typeof ActivityReportSchema>;

/**
 * The report page's form (flat, every field a string) as a report: only the chosen kind's fields
 * count, and empty fields are left out. Problems name the field as the form does.
 */
export function reportFromForm(form: Record<string, unknown>) {
  const kind = typeof form.kind === 'string' ? form.kind : undefined;
  const fields = (kind && REPORT_FORM_FIELDS[kind as ActivityReport['kind']]) || [];
  const filled = fields.filter((field) => typeof form[field] === 'string' && form[field].trim() !== '');
  return ActivityReportSchema.safeParse({ kind, ...Object.fromEntries(filled.map((field) => [field, form[field]])) });
}

const formField = (description: string) => formText().optional().describe(description);

/** The report page's form as it is posted: flat, every field a string; reportFromForm reads it. */
export const ReportFormSchema = formFields({
  kind: z.enum(REPORT_KINDS),
  performedOn: formField('ÅÅÅÅ-MM-DD, vid DONE'),
  description: formField('vid DONE och PROGRESS'),
  participants: formField('antal, vid DONE'),
  hours: formField('antal timmar, vid DONE'),
  link: formField('https-länk, vid DONE och PROGRESS'),
  reason: formField('vid CANCELLED och POSTPONED (och DATE_SET, frivilligt)'),
  newDueDate: formField('ÅÅÅÅ-MM-DD, vid POSTPONED och DATE_SET'),
  correctsReportId: formField('rapporten som rättas (UUID), vid en rättelse'),
  submissionId: formField('formulärets id: samma id två gånger ger en rapport'),
});

export const ReportRequestSchema = z.object({ report: ActivityReportSchema, correctsReportId: z.uuid().optional() }).strict();

/** A call that creates something may name itself, so that the same call made again creates nothing new. */
export const IdempotencyHeadersSchema = z.looseObject({
  'idempotency-key': z
    .string()
    .regex(/^[\x21-\x7e]{8,200}$/, 'ska vara 8–200 synliga ASCII-tecken, t.ex. ett UUID')
    .optional()
    .describe('samma nyckel igen (t.ex. ett omförsök efter ett avbrott) ger samma svar, inte en åtgärd till'),
});

export const OccurrenceParamsSchema = z.object({
  id: z.uuid('ska vara ett löftes id (UUID)'),
  occurrenceId: z.uuid('ska vara en aktivitets id (UUID)'),
});

export const PublishFollowUpRequestSchema = z
  .object({
    narrative: longText(20000, 'skriv en sammanfattning'),
    safetySurvey: optionalText(4000).describe('trygghetsmätningens resultat, som sammanhang'),
    crimeStatistics: optionalText(4000).describe('brottsstatistik, som sammanhang'),
  })
  .strict();

export const SigningRequestParamsSchema = z.object({
  id: z.uuid('ska vara ett löftes id (UUID)'),
  requestId: z.uuid('ska vara en signeringsbegärans id (UUID)'),
});

export const FollowUpParamsSchema = z.object({
  id: z.uuid('ska vara ett löftes id (UUID)'),
  // Digits only: "1e0" or " 1" would coerce to 1 although the contract says an integer.
  index: z
    .string()
    .regex(/^([1-9]|[1-4][0-9]|50)$/, 'ska vara uppföljningens nummer, 1–50')
    .transform(Number)
    .describe('uppföljningens nummer, 1–50'),
});

/**
 * A fingerprint as a person pastes it: 64 hexadecimal characters, spaces around them allowed; left
 * empty, the page shows the form. Stated as a pattern for the OpenAPI document; the page itself
 * checks it, so that a wrong one is shown beside its field.
 */
const fingerprintField = () =>
  z
    .string()
    .meta({ pattern: '^(\\s*[0-9A-Fa-f]{64}\\s*)?$' })
    .optional()
    .describe('ett fingeravtryck (SHA-256, 64 hexadecimala tecken) att slå upp');

/** The audit trail check form (multipart/form-data): the trail's JSON file and the chain's head. Read part by part (api/verify.ts). */
export const VerifyTrailFormSchema = z
  .object({
    fil: z.string().meta({ format: 'binary' }).describe('granskningsloggen som JSON (GET /api/promises/{id}/audit/chain)'),
    huvud: z
      .string()
      .meta({ pattern: '^(\\s*[0-9A-Fa-f]{64}\\s*)?$' })
      .optional()
      .describe('kedjans huvud (SHA-256) från öppna data eller PDF:en'),
  })
  .strict();

export const VerifyQuerySchema = z.object({ fingeravtryck: fingerprintField() });

/** The verify form (multipart/form-data): a PDF, a text and/or a fingerprint. Read part by part (api/verify.ts). */
export const VerifyFormSchema = z
  .object({
    fil: z.string().meta({ format: 'binary' }).optional().describe('en PDF från tjänsten, med den signerade texten bifogad'),
    text: z.string().optional().describe('en signerad text att kontrollera'),
    fingeravtryck: fingerprintField(),
  })
  .strict();
