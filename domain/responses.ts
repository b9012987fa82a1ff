import { z } from 'zod';
import { ERROR_STATUS, type ErrorCode } from './error-codes';
import { PROMISE_STATUSES } from './lifecycle';
import { REPORT_KINDS } from './requests';
import './validation';

// What the API answers with: each route declares its responses with these schemas, the
// serializer holds every answer to them, and /openapi.json is generated from them.

const ERROR_CODES = Object.keys(ERROR_STATUS) as [ErrorCode, ...ErrorCode[]];
const Timestamp = z.date().describe('tidpunkt (ISO 8601, UTC)');
const IsoDate = z.iso.date().describe('datum (ÅÅÅÅ-MM-DD)');

export const FieldProblemSchema = z.object({
  field: z.string().describe('fältets sökväg i indata, t.ex. "content.signatories.2.email"; "(body)" för hela innehållet'),
  problem: z.string().describe('vad som är fel, på svenska'),
});

/** The one error format: a code from domain/error-codes.ts, a Swedish message, and each field's problem. */
export const ErrorResponseSchema = z
  .object({
    error: z.enum(ERROR_CODES).describe('felkod; samma kod ger alltid samma HTTP-status'),
    message: z.string().describe('beskrivning på svenska'),
    details: z.array(FieldProblemSchema).optional(),
  })
  .meta({ id: 'Error' });

const Status = z.enum(PROMISE_STATUSES);

const AttentionItemSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('STEP_FAILED'), reason: z.string(), since: Timestamp, what: z.string() }),
  z.object({ kind: z.literal('UNDELIVERABLE'), address: z.string(), relay: z.string().nullable(), at: Timestamp, what: z.string() }),
  z.object({
    kind: z.literal('NOT_SENT_YET'),
    address: z.string(),
    purpose: z.string(),
    error: z.string().nullable(),
    attempts: z.number().int(),
    since: Timestamp,
    what: z.string(),
  }),
  z.object({ kind: z.literal('HELD_BACK'), address: z.string(), purpose: z.string(), at: Timestamp, what: z.string() }),
  z.object({
    kind: z.literal('DELIVERY_DELAYED'),
    address: z.string(),
    status: z.string().nullable().describe('statuskoden i leveransrapporten, t.ex. 4.2.2'),
    at: Timestamp,
    what: z.string(),
  }),
  z.object({
    kind: z.literal('REPLIED'),
    address: z.string().describe('dit e-posten som besvarades gick'),
    at: Timestamp,
    what: z.string(),
  }),
  z.object({
    kind: z.literal('WEBHOOK_FAILED'),
    endpointId: z.uuid().describe('webhook-mottagaren'),
    receiver: z.string().describe('vad mottagaren är'),
    failed: z.number().int().describe('händelser som inte kom fram'),
    since: Timestamp,
    what: z.string(),
  }),
]);

const SignatoryProgressSchema = z.object({
  requestId: z.uuid().describe('signeringsbegäran, för att skicka den igen'),
  name: z.string(),
  title: z.string(),
  party: z.string(),
  signingGroup: z.number().int(),
  status: z.string().describe('PENDING, SIGNED, DECLINED, UNDELIVERABLE …'),
  sentAt: Timestamp.nullable().describe('när begäran skickades; null medan den väntar på sin grupp'),
  remindersSent: z.number().int(),
  decidedAt: Timestamp.nullable(),
  reason: z.string().nullable(),
});

/** What every view of a promise says first. */
const PromiseSummarySchema = z.object({
  id: z.uuid(),
  title: z.string(),
  municipality: z.string(),
  status: Status,
  statusLabel: z.string(),
  statusReason: z.string().nullable(),
  needsAttention: z.boolean(),
});

export const PersonalNumberPinSchema = z.object({
  signatoryKey: z.string(),
  lastFour: z.string().nullable().describe('de fyra sista siffrorna, ••••NNNN; null när inget nummer är låst'),
});

export const PromiseResponseSchema = PromiseSummarySchema.extend({
  attention: z.array(AttentionItemSchema),
  period: z.object({ start: IsoDate, end: IsoDate }),
  renewal: z.enum(['ANNUAL', 'NONE']),
  predecessorId: z.uuid().nullable(),
  settings: z.looseObject({}).describe('påminnelser och tidsgränser (PromiseSettings)'),
  currentVersion: z.object({ number: z.number().int(), sha256: z.string(), createdAt: Timestamp }),
  content: z.looseObject({}).describe('texten som den lagrats i den aktuella versionen (PromiseContent)'),
  personalNumberPins: z.array(PersonalNumberPinSchema).describe('undertecknare som signerar med BankID och är låsta till ett personnummer'),
  signingRound: z
    .object({
      number: z.number().int(),
      status: z.string(),
      outcomeReason: z.string().nullable(),
      startedAt: Timestamp,
      endedAt: Timestamp.nullable(),
      signatories: z.array(SignatoryProgressSchema),
    })
    .optional(),
}).meta({ id: 'Promise' });

export const PromiseListResponseSchema = z.array(PromiseSummarySchema.extend({ versionNumber: z.number().int() }));

export const StatusChangeResponseSchema = z.object({
  status: Status,
  statusLabel: z.string(),
  roundNumber: z.number().int().optional(),
  versionNumber: z.number().int().optional(),
});

export const AddressCorrectionResponseSchema = z.object({
  corrected: z.object({ signatories: z.array(z.string()), contacts: z.array(z.string()) }),
  resending: z.boolean().describe('om det som gick till den gamla adressen skickas igen nu'),
});

export const AuditResponseSchema = z.array(
  z.object({
    at: Timestamp,
    actor: z.string(),
    action: z.string(),
    details: z.unknown(),
    ipAddress: z.string().nullable(),
    userAgent: z.string().nullable(),
  }),
);

const ChainHash = z.string().regex(/^[0-9a-f]{64}$/, 'ska vara 64 tecken 0–9 och a–f (SHA-256)');

/** A promise's audit trail as anyone may check it: domain/audit-chain.ts says how. */
export const AuditChainSchema = z
  .object({
    promiseId: z.string().min(1),
    events: z.array(
      z.object({
        sequence: z.number().int().positive().describe('händelsens plats i kedjan, från 1'),
        at: z.iso.datetime().describe('tidpunkt (ISO 8601, UTC, millisekunder)'),
        actor: z.string(),
        action: z.string(),
        details: z.unknown(),
        idempotencyKey: z.string().nullable(),
        previousHash: z.union([z.literal(''), ChainHash]).describe('hashen av händelsen före; tom för den första'),
        hash: ChainHash.describe('SHA-256 av händelsen och hashen före den'),
      }),
    ),
  })
  .describe('Granskningsloggen som hashkedja, utan var händelserna kom ifrån (det gallras)');

export const HeldBankIdSignatureSchema = z.object({
  orderId: z.uuid(),
  signatory: z.string().describe('undertecknaren i löftet'),
  bankIdName: z.string().describe('namnet som BankID gav'),
  completedAt: Timestamp,
});

export const BankIdReviewResponseSchema = z.object({ decision: z.enum(['SIGNED', 'REFUSED']) });

export const SchedulePreviewResponseSchema = z.object({
  period: z.object({ start: IsoDate, end: IsoDate }),
  reminderRule: z.string().optional().describe('hur datum och påminnelser läggs på arbetsdagar, i ord'),
  occurrences: z.array(
    z.object({
      commitmentKey: z.string(),
      sequence: z.number().int(),
      step: z.number().int().optional().describe('vilket steg (från 1) i ett åtagande i flera steg'),
      dueDate: IsoDate.nullable().describe('null: datumet bestäms senare'),
      kind: z.enum(['ACTIVITY', 'PROGRESS_REPORT']),
      priorityArea: z.string(),
      commitment: z.string(),
      contacts: z.array(z.object({ name: z.string(), title: z.string().optional(), email: z.string() })),
      reminders: z.array(
        z.object({ kind: z.enum(['BEFORE', 'DUE', 'OVERDUE', 'ESCALATION']), sequence: z.number().int(), at: z.iso.datetime() }),
      ),
      coordinatorAskedEvery: z
        .string()
        .optional()
        .describe(
          'när datumet bestäms senare: samordnaren ombeds sätta det när löftet blir aktivt och sedan så här ofta tills det är satt',
        ),
    }),
  ),
  waitingSteps: z
    .array(z.object({ commitmentKey: z.string(), step: z.number().int(), priorityArea: z.string(), commitment: z.string() }))
    .describe(
      'steg som börjar när engångsaktiviteten före dem har ägt rum och vars datum ännu inte är satt: de planeras från dagen efter det datumet',
    ),
  followUps: z.array(z.object({ index: z.number().int(), start: IsoDate, end: IsoDate, final: z.boolean(), draftedAt: z.iso.datetime() })),
  renewalAt: z.iso.datetime().nullable(),
});

const ReportResponseSchema = z.object({
  id: z.uuid(),
  kind: z.enum(REPORT_KINDS),
  performedOn: IsoDate.nullable(),
  description: z.string().nullable(),
  participants: z.number().int().nullable(),
  hours: z.number().nullable(),
  link: z.string().nullable(),
  reason: z.string().nullable(),
  newDueDate: IsoDate.nullable(),
  correctsReportId: z.uuid().nullable(),
  reportedBy: z.string(),
  reportedAt: Timestamp,
});

export const OccurrenceResponseSchema = z
  .object({
    id: z.uuid(),
    commitmentKey: z.string(),
    commitment: z.string(),
    kind: z.enum(['ACTIVITY', 'PROGRESS_REPORT']),
    sequence: z.number().int(),
    plannedDueDate: IsoDate.nullable().describe('null: datumet skulle bestämmas senare'),
    dueDate: IsoDate.nullable().describe('null: datumet är inte bestämt än'),
    status: z.string(),
    contacts: z
      .array(z.object({ name: z.string(), title: z.string().nullable(), email: z.string() }))
      .describe('de som påminns; tom: samordnaren'),
    reports: z.array(ReportResponseSchema),
  })
  .meta({ id: 'Occurrence' });

export const FollowUpResponseSchema = z
  .object({
    index: z.number().int(),
    period: z.object({ start: IsoDate, end: IsoDate }),
    final: z.boolean(),
    status: z.string(),
    generated: z.unknown().describe('planerat mot genomfört, genererat ur rapporterna'),
    narrative: z.string().nullable(),
    safetySurvey: z.string().nullable(),
    crimeStatistics: z.string().nullable(),
    publishedAt: Timestamp.nullable(),
  })
  .meta({ id: 'FollowUp' });

export const RenewalResponseSchema = z.object({ renewalId: z.uuid() });

const CheckSchema = z.object({ ok: z.boolean(), error: z.string().optional() });
export const HealthResponseSchema = z.object({
  status: z.enum(['ok', 'fel']),
  checks: z
    .object({ temporal: CheckSchema, database: CheckSchema, smtp: CheckSchema })
    .optional()
    .describe('var tjänst för sig; bara för samordnare (med API-nyckel)'),
});

/** Open data: every signed promise, what was promised and what was done (no e-mail addresses). */
export const OpenDataSchema = z
  .object({
    licence: z.literal('CC0-1.0').describe('fritt att använda, utan villkor'),
    generatedAt: Timestamp.describe('när något i datan senast ändrades: en oförändrad fil är densamma byte för byte'),
    promises: z.array(
      z.object({
        id: z.uuid(),
        url: z.string().describe('löftets sida'),
        title: z.string(),
        municipality: z.string(),
        period: z.object({ start: IsoDate, end: IsoDate }),
        status: z.enum(['ACTIVE', 'FOLLOW_UP', 'CLOSED', 'WITHDRAWN']).describe('WITHDRAWN: återkallat efter signering'),
        signedOn: IsoDate.nullable(),
        sha256: z.string().describe('den signerade textens fingeravtryck'),
        auditChain: z
          .object({
            head: z.string().describe('granskningsloggens senaste händelses hash (kedjans huvud)'),
            events: z.number().int().describe('antal händelser i kedjan'),
            headAtSigning: z.string().nullable().describe('kedjans huvud när sista parten hade signerat, som i PDF-filen'),
          })
          .nullable()
          .describe('kontrollera en nedladdad logg mot huvudet på /verifiera/handelser'),
        signatories: z.array(z.object({ name: z.string(), title: z.string(), party: z.string() })),
        commitments: z.array(
          z.object({
            key: z.string(),
            text: z.string(),
            planned: z.number().int().describe('årets tillfällen'),
            done: z.number().int(),
            cancelled: z.number().int(),
            reported: z.boolean().describe('false: ingen rapport ännu'),
          }),
        ),
        reports: z.array(
          z.object({
            id: z.uuid(),
            date: IsoDate.describe('när det gjordes, annars när det rapporterades'),
            kind: z.enum(['DONE', 'PROGRESS', 'CANCELLED', 'POSTPONED', 'DATE_SET']),
            commitment: z.string(),
            description: z.string().nullable(),
            reason: z.string().nullable(),
            newDueDate: IsoDate.nullable(),
            corrects: z
              .uuid()
              .nullable()
              .describe('rapporten som den här rättar (och ersätter); null för en rapport som inte rättar någon'),
          }),
        ),
        followUps: z.array(z.object({ start: IsoDate, end: IsoDate, publishedOn: IsoDate, narrative: z.string() })),
      }),
    ),
  })
  .meta({ id: 'OpenData' });
