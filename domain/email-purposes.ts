// Every kind of e-mail the engine sends, in one closed list, with whom it is written to. The outbox
// records the purpose with each e-mail; the footer tells the recipient why they get it from the
// audience (the promise's coordinator is always addressed as its coordinator).

export type Audience = 'SIGNATORY' | 'CONTACT' | 'COORDINATOR';

export const EMAIL_PURPOSES = {
  SIGNING_REQUEST: 'SIGNATORY',
  SIGNING_RESEND: 'SIGNATORY',
  SIGNING_REMINDER: 'SIGNATORY',
  SIGNING_DEADLINE_WARNING: 'SIGNATORY',
  SIGNING_DEADLINE_MOVED: 'SIGNATORY',
  SIGNING_ROUND_STOPPED: 'SIGNATORY',
  ACTIVATED: 'SIGNATORY',
  WITHDRAWN: 'SIGNATORY',
  ACTIVITY_BEFORE: 'CONTACT',
  ACTIVITY_DUE: 'CONTACT',
  ACTIVITY_OVERDUE: 'CONTACT',
  ACTIVITY_ESCALATION: 'COORDINATOR',
  DATE_TO_BE_SET: 'COORDINATOR',
  DATE_TO_BE_SET_REMINDER: 'COORDINATOR',
  DATE_TO_BE_SET_LAST: 'COORDINATOR',
  FOLLOW_UP_DUE: 'COORDINATOR',
  FOLLOW_UP_REMINDER: 'COORDINATOR',
  RENEWAL_CREATED: 'COORDINATOR',
  COORDINATOR_ESCALATION: 'COORDINATOR',
  COORDINATOR_EXPIRED: 'COORDINATOR',
  COORDINATOR_DECLINED: 'COORDINATOR',
  COORDINATOR_UNDELIVERABLE: 'COORDINATOR',
  WEBHOOK_DISABLED: 'COORDINATOR',
} as const satisfies Record<string, Audience>;

export type EmailPurpose = keyof typeof EMAIL_PURPOSES;

/** Whom an e-mail of this purpose addresses: the coordinator as such, whatever the purpose. */
export const audienceOf = (purpose: EmailPurpose, toCoordinator: boolean): Audience =>
  toCoordinator ? 'COORDINATOR' : EMAIL_PURPOSES[purpose];
