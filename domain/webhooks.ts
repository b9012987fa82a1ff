import { z } from 'zod';
import type { AuditAction } from './audit-actions';
import type { Duration } from './durations';
import { REPORT_KINDS } from './requests';
import { lineText } from './text-schemas';

// The events an organisation's systems may subscribe to by webhook: a closed list, each made from
// audit actions and carrying the fields its schema names, picked from what the audit recorded. No
// event carries personal data (a name, an e-mail address), a link token or free text a person wrote
// (a reason, a report's words): ids, numbers, fingerprints and links, for the receiver to fetch the
// rest with its key. So the deliveries, kept as the endpoint's log, hold nothing to inventory or prune.
// (The signatures are in crypto.ts.)

const RoundNumber = z.number().int().describe('signeringsomgångens nummer');
const Sha256 = z.string().describe('den signerade textens SHA-256');

const event = <Shape extends z.ZodRawShape>(actions: readonly AuditAction[], description: string, shape: Shape) => ({
  actions,
  description,
  data: z.object(shape),
});

/** The events, by their name in the payload's `type`, with the audit actions they are made from and their data. */
export const WEBHOOK_EVENTS = {
  'promise.submitted': event(['SIGNING_ROUND_STARTED'], 'Löftet skickades för signering', {
    roundNumber: RoundNumber,
    versionNumber: z.number().int().describe('textens version'),
    sha256: Sha256,
  }),
  'promise.signed_by_party': event(['SIGNED'], 'En part signerade', {
    roundNumber: RoundNumber,
    sha256: Sha256,
    method: z.literal('BANKID').optional().describe('BANKID när parten signerade med BankID; annars med länk'),
  }),
  'promise.declined': event(['DECLINED'], 'En part avböjde att signera', { roundNumber: RoundNumber }),
  'promise.activated': event(['ACTIVATED'], 'Alla har signerat: löftet gäller', {}),
  'promise.revised': event(['SIGNING_ROUND_SUPERSEDED'], 'En ny version ersatte omgången under signering', {
    roundNumber: RoundNumber,
  }),
  'promise.withdrawn': event(['WITHDRAWN'], 'Löftet återkallades', {}),
  'report.added': event(['ACTIVITY_REPORTED'], 'En aktivitet rapporterades', {
    commitment: z.string().describe('åtagandets nyckel i löftet'),
    sequence: z.number().int().describe('tillfällets nummer inom åtagandet'),
    kind: z.enum(REPORT_KINDS),
  }),
  'report.corrected': event(['ACTIVITY_REPORT_CORRECTED'], 'En rapport rättades', {
    commitment: z.string().describe('åtagandets nyckel i löftet'),
    sequence: z.number().int().describe('tillfällets nummer inom åtagandet'),
    kind: z.enum(REPORT_KINDS),
  }),
  'occurrence.overdue': event(['OCCURRENCE_OVERDUE'], 'En aktivitet är försenad: ingen har rapporterat den', {
    commitment: z.string().describe('åtagandets nyckel i löftet'),
    sequence: z.number().int().describe('tillfällets nummer inom åtagandet'),
    dueDate: z.iso.date().describe('dagen den var planerad till'),
  }),
  'follow_up.published': event(['FOLLOW_UP_PUBLISHED', 'FOLLOW_UP_PUBLISHED_CLOSED'], 'En uppföljning publicerades', {
    index: z.number().int().describe('uppföljningens nummer'),
    final: z.boolean().describe('slutuppföljningen: löftet är avslutat'),
  }),
  'renewal.drafted': event(['RENEWAL_CREATED'], 'Ett utkast till förnyelse skapades', {
    renewalId: z.uuid().describe('förnyelsens id (ett nytt löfte)'),
  }),
} as const;
export type WebhookEvent = keyof typeof WEBHOOK_EVENTS;
export const WEBHOOK_EVENT_TYPES = Object.keys(WEBHOOK_EVENTS) as [WebhookEvent, ...WebhookEvent[]];

/** The event an audit action makes, if any makes one. */
export function webhookEventOf(action: AuditAction): WebhookEvent | undefined {
  return WEBHOOK_EVENT_TYPES.find((type) => WEBHOOK_EVENTS[type].actions.includes(action));
}

/** What an event's payload carries of what the audit recorded: only its schema's fields. */
export function webhookDataOf(type: WebhookEvent, action: AuditAction, details: Record<string, unknown>): Record<string, unknown> {
  const facts = { ...details, final: action === 'FOLLOW_UP_PUBLISHED_CLOSED' };
  const picked = Object.fromEntries(
    Object.keys(WEBHOOK_EVENTS[type].data.shape)
      .map((field) => [field, facts[field as keyof typeof facts]])
      .filter(([, value]) => value !== undefined),
  );
  // Never a reason to fail the step that records the event: what does not fit its schema is sent as
  // recorded (the tests hold every event's recorded details to its schema).
  const parsed = WEBHOOK_EVENTS[type].data.safeParse(picked);
  return parsed.success ? parsed.data : picked;
}

/** The body every delivery carries: the event, when it happened, and its data with the promise's links. */
export function webhookPayloadSchema(type: WebhookEvent) {
  return z.object({
    type: z.literal(type),
    timestamp: z.iso.datetime().describe('när det hände (UTC)'),
    data: WEBHOOK_EVENTS[type].data.extend({
      promiseId: z.uuid().describe('löftets id'),
      links: z.object({
        page: z.url().describe('löftets offentliga sida'),
        api: z.url().describe('löftet i API:t (med samordnarens nyckel)'),
      }),
    }),
  });
}

/**
 * A receiver as a coordinator adds it. Only https here; where the address leads (the public
 * internet, not the organisation's own machines) is checked when saved and again at every delivery.
 */
export const WebhookEndpointRequestSchema = z
  .object({
    organisationId: z.uuid('välj en organisation'),
    description: lineText(100, 'skriv vad mottagaren är'),
    url: z.url({ protocol: /^https$/, error: 'ska vara en adress som börjar med https://' }).max(2000, 'får vara högst 2000 tecken'),
    events: z.array(z.enum(WEBHOOK_EVENT_TYPES, 'ska vara en av händelserna')).min(1, 'välj minst en händelse'),
  })
  .strict();

/** How long a rotated-out secret still signs beside the new one, so a receiver can change over. */
export const PREVIOUS_SECRET_GRACE: Duration = '24h';
/** An endpoint that has failed every delivery for this long is switched off, and its coordinators told. */
export const DISABLE_FAILING_AFTER: Duration = '3d';
