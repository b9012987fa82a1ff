import type { Logger } from 'pino';
import { sameAddress } from '../domain/addresses';
import { linkTokenFor, sha256Hex, addressHash, isPseudonym, pseudonymOf, returnPathCheck } from '../domain/crypto';
import { returnPathFor } from '../domain/return-path';
import { asOneLine } from '../domain/text';
import { messageIdFor, type Mailer } from '../platform/mailer';
import type { EmailOutcome, Metrics } from '../platform/metrics';
import type { Database } from '../store/database';
import {
  findOutboxEntry,
  grantLink,
  isErasedAddress,
  markSent,
  markSuppressed,
  markUndeliverable,
  recordAttempt,
  recordAttemptWithinDailyLimit,
  recordSendError,
} from '../store/outbox';
import { audienceOf, type EmailPurpose } from '../domain/email-purposes';
import { senderOf } from '../store/promises';
import { footerOf, renderEmail, type ComposedEmail } from './email-templates';
import { permanentRelayRefusal } from './failures';

export interface LinkGrant {
  purpose: 'SIGN' | 'REPORT';
  signingRequestId?: string;
  occurrenceId?: string;
  expiresAt: Date;
}

export interface OutgoingEmail {
  /** Unique per (promise version, recipient, purpose, sequence): the outbox's guard against resending. */
  idempotencyKey: string;
  promiseId?: string;
  to: string;
  /** The recipient's name, shown beside the address. */
  toName?: string;
  purpose: EmailPurpose;
  /** A personal link to mint for this e-mail; its raw token exists only in the e-mail itself. */
  link?: LinkGrant;
  /** The workflow time it was due, kept for the record (simulated time in time-skipping tests). */
  scheduledFor?: number;
  compose(token?: string): ComposedEmail;
}

export interface OutboxDeps {
  db: Database;
  /** Where the service's pages are: the e-mails' footers link to its privacy notice. */
  publicBaseUrl: string;
  mailer: Mailer;
  /** The key personal links are derived from (domain/crypto.ts); the same for every worker. */
  linkSecret: string;
  /** The bounce mailbox (BOUNCE_ADDRESS): each e-mail's return path names its outbox row there (VERP). */
  bounceAddress?: string;
  /** At most this many e-mails to one address in 24 hours, whatever the settings (default 50). */
  dailyLimitPerRecipient?: number;
  /** Where each e-mail's outcome is counted (platform/metrics.ts); nowhere without one. */
  metrics?: Metrics;
  /** Where the worker's info lines go (platform/logger.ts): ids, purposes and outcomes, never an address or a link. */
  logger?: Logger;
}

export const DEFAULT_DAILY_LIMIT_PER_RECIPIENT = 50;

/** Why nothing went to an erased address, as the coordinator reads it. */
export const ERASED_ADDRESS =
  'Adressen är raderad på personens begäran; ingen e-post går dit. Ange en ny adress om personen vill få e-post igen.';

export type SendResult = 'SENT' | 'ALREADY_SENT' | 'SUPPRESSED' | 'UNDELIVERABLE';

/**
 * Sends an e-mail once per idempotency key. A retry after a completed send finds the outbox row
 * SENT and returns. The one case no relay protocol closes, "the relay said 250, the worker died
 * before recording it", sends the same e-mail again: the same words, the same personal link (its
 * token is derived from the key) and the same Message-ID, so both copies work and a mail client
 * may show them as one.
 */
export async function sendOnce(deps: OutboxDeps, email: OutgoingEmail): Promise<SendResult> {
  const { db, mailer } = deps;
  /** Each outcome counted in the metrics and said in one log line (ids and purpose, never an address). */
  const report = (outcome: EmailOutcome) => {
    deps.metrics?.emails.inc({ purpose: email.purpose, outcome });
    deps.logger?.info({ promiseId: email.promiseId, purpose: email.purpose, outcome }, 'e-post');
  };
  const existing = await findOutboxEntry(db, email.idempotencyKey);
  if (existing?.status === 'SENT') return 'ALREADY_SENT';
  if (existing?.status === 'SUPPRESSED' || existing?.status === 'UNDELIVERABLE') return existing.status;
  const entry = { idempotencyKey: email.idempotencyKey, promiseId: email.promiseId, recipient: email.to, purpose: email.purpose };
  if (isPseudonym(email.to) || (await isErasedAddress(db, addressHash(deps.linkSecret, email.to)))) {
    // The person asked to be erased (or the address was let go): nothing goes to it again, and the
    // coordinator sees why, as for an address the relay refused.
    const withheld = { ...entry, recipient: pseudonymOf(deps.linkSecret, email.to) };
    await recordAttempt(db, { ...withheld, subject: '', messageId: messageIdFor(email.idempotencyKey, mailer.from) });
    await markUndeliverable(db, withheld, ERASED_ADDRESS);
    report('undeliverable');
    return 'UNDELIVERABLE';
  }

  let token: string | undefined;
  if (email.link) {
    token = linkTokenFor(deps.linkSecret, email.idempotencyKey);
    const { purpose, signingRequestId, occurrenceId, expiresAt } = email.link;
    await grantLink(db, email.idempotencyKey, { tokenHash: sha256Hex(token), purpose, signingRequestId, occurrenceId, expiresAt });
  }
  const composed = email.compose(token);
  // A retry keeps the Message-ID the first attempt recorded (an earlier release may have written it).
  const messageId = existing?.messageId ?? messageIdFor(email.idempotencyKey, mailer.from);
  const limit = deps.dailyLimitPerRecipient ?? DEFAULT_DAILY_LIMIT_PER_RECIPIENT;
  const { outboxId, allowed } = await recordAttemptWithinDailyLimit(
    db,
    {
      ...entry,
      subject: composed.subject,
      messageId,
      scheduledFor: email.scheduledFor === undefined ? undefined : new Date(email.scheduledFor),
    },
    limit,
  );
  if (!allowed) {
    await markSuppressed(db, entry, limit);
    report('suppressed');
    return 'SUPPRESSED';
  }
  try {
    // Sent in the name of the coordinator's organisation, answered by the coordinator, and saying why.
    const sender = email.promiseId ? await senderOf(db, email.promiseId) : undefined;
    const coordinator = sender?.coordinator;
    const audience = audienceOf(email.purpose, coordinator !== undefined && sameAddress(coordinator.email, email.to));
    await mailer.send({
      to: { name: email.toName && asOneLine(email.toName), address: email.to },
      ...(sender?.organisation ? { fromName: `${sender.organisation} via Medborgarlöften` } : {}),
      ...(coordinator ? { replyTo: { name: asOneLine(coordinator.name), address: coordinator.email } } : {}),
      messageId,
      ...(deps.bounceAddress
        ? { returnPath: returnPathFor(deps.bounceAddress, outboxId, returnPathCheck(deps.linkSecret, outboxId)) }
        : {}),
      ...renderEmail(composed, footerOf(audience, sender, deps.publicBaseUrl)),
    });
  } catch (error) {
    const refusal = permanentRelayRefusal(error);
    if (refusal) {
      // The relay will never take this address: recorded, not retried; the caller tells whoever must know.
      await markUndeliverable(db, entry, refusal);
      report('undeliverable');
      return 'UNDELIVERABLE';
    }
    report('failed');
    await recordSendError(db, email.idempotencyKey, String(error instanceof Error ? error.message : error));
    throw error;
  }
  await markSent(db, entry);
  report('sent');
  return 'SENT';
}

/**
 * Acts on every item at once, even when one fails, then raises the first failure: one bad address
 * or a relay hiccup for one recipient does not hold up the others, and a retry finds those done in
 * the outbox. At once, because the e-mails do not depend on each other; the relay's connection
 * pool and the database's bound how much runs together, and the daily allowance is claimed under
 * a lock per recipient.
 */
export async function tryEach<T, R>(items: T[], act: (item: T) => Promise<R>): Promise<R[]> {
  const settled = await Promise.allSettled(items.map(act));
  const failure = settled.find((outcome) => outcome.status === 'rejected');
  if (failure) throw failure.reason;
  return settled.map((outcome) => (outcome as PromiseFulfilledResult<R>).value);
}
