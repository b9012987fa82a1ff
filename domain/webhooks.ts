import type { AuditAction } from './audit-actions';

// The events an organisation's systems may subscribe to by webhook: a closed list, each made from
// audit actions (the signatures are in crypto.ts).

/** The events, by their name in the payload's `type`, with the audit actions they are made from. */
export const WEBHOOK_EVENTS = {
  'promise.submitted': ['SIGNING_ROUND_STARTED'],
  'promise.signed_by_party': ['SIGNED'],
  'promise.declined': ['DECLINED'],
  'promise.activated': ['ACTIVATED'],
  'promise.revised': ['SIGNING_ROUND_SUPERSEDED'],
  'promise.withdrawn': ['WITHDRAWN'],
  'report.added': ['ACTIVITY_REPORTED'],
  'report.corrected': ['ACTIVITY_REPORT_CORRECTED'],
  'follow_up.published': ['FOLLOW_UP_PUBLISHED', 'FOLLOW_UP_PUBLISHED_CLOSED'],
  'renewal.drafted': ['RENEWAL_CREATED'],
} as const satisfies Record<string, readonly AuditAction[]>;
export type WebhookEvent = keyof typeof WEBHOOK_EVENTS;
export const WEBHOOK_EVENT_TYPES = Object.keys(WEBHOOK_EVENTS) as WebhookEvent[];

/** The event an audit action makes, if any makes one. */
export function webhookEventOf(action: AuditAction): WebhookEvent | undefined {
  return WEBHOOK_EVENT_TYPES.find((event) => (WEBHOOK_EVENTS[event] as readonly AuditAction[]).includes(action));
}
