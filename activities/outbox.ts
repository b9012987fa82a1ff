import type { Prisma } from '@prisma/client';
import { linkTokenFor, sha256Hex } from '../domain/crypto';
import { asOneLine } from '../domain/text';
import { mailDomainOf, type Mailer } from '../platform/mailer';
import { recordAudit } from '../store/audit';
import type { Database } from '../store/database';
import { coordinatorOfPromise } from '../store/promises';
import type { ComposedEmail } from './email-templates';
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
  purpose: string;
  /** A personal link to mint for this e-mail; its raw token exists only in the e-mail itself. */
  link?: LinkGrant;
  /** The workflow time it was due, kept for the record (simulated time in time-skipping tests). */
  scheduledFor?: number;
  compose(token?: string): ComposedEmail;
}

export interface OutboxDeps {
  db: Database;
  mailer: Mailer;
  /** The key personal links are derived from (domain/crypto.ts); the same for every worker. */
  linkSecret: string;
  /** At most this many e-mails to one address in 24 hours, whatever the settings (default 50). */
  dailyLimitPerRecipient?: number;
}

export const DEFAULT_DAILY_LIMIT_PER_RECIPIENT = 50;
const DAY_MS = 86_400_000;
const OUTBOX_ACTOR = { kind: 'SYSTEM', id: 'outbox' } as const;

/**
 * Claims a place within the recipient's daily limit for this e-mail, under a lock per address so
 * that workers sending at once count each other. Tried sends count, delivered or not; a retry of
 * the same e-mail does not count twice.
 */
async function claimDailyAllowance(db: Database, email: OutgoingEmail, limit: number): Promise<boolean> {
  return db.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`outbox:${email.to}`}))`;
    const now = new Date();
    const recent = await tx.emailOutbox.count({
      where: {
        recipient: email.to,
        idempotencyKey: { not: email.idempotencyKey },
        status: { in: ['PENDING', 'SENT'] },
        lastAttemptAt: { gte: new Date(now.getTime() - DAY_MS) },
      },
    });
    if (recent >= limit) return false;
    await tx.emailOutbox.update({ where: { idempotencyKey: email.idempotencyKey }, data: { lastAttemptAt: now } });
    return true;
  });
}

/** One Message-ID per e-mail (the same on every attempt), on the sender's own domain. */
export const messageIdFor = (idempotencyKey: string, from: string): string =>
  `<${sha256Hex(idempotencyKey).slice(0, 32)}@${mailDomainOf(from) ?? 'medborgarloften.localhost'}>`;

export type SendResult = 'SENT' | 'ALREADY_SENT' | 'SUPPRESSED' | 'UNDELIVERABLE';

/** The part of a key that names the address an e-mail goes to: a resend to a corrected address is a new e-mail, once per address. */
export const addressTag = (address: string): string => sha256Hex(address.toLowerCase()).slice(0, 16);

/**
 * Sends an e-mail once per idempotency key. A retry after a completed send finds the outbox row
 * SENT and returns. The one case no relay protocol closes, "the relay said 250, the worker died
 * before recording it", sends the same e-mail again: the same words, the same personal link (its
 * token is derived from the key) and the same Message-ID, so both copies work and a mail client
 * may show them as one.
 */
export async function sendOnce(deps: OutboxDeps, email: OutgoingEmail): Promise<SendResult> {
  const { db, mailer } = deps;
  const existing = await db.emailOutbox.findUnique({ where: { idempotencyKey: email.idempotencyKey } });
  if (existing?.status === 'SENT') return 'ALREADY_SENT';
  if (existing?.status === 'SUPPRESSED' || existing?.status === 'UNDELIVERABLE') return existing.status;

  let token: string | undefined;
  if (email.link) {
    token = linkTokenFor(deps.linkSecret, email.idempotencyKey);
    const grant = {
      tokenHash: sha256Hex(token),
      purpose: email.link.purpose,
      signingRequestId: email.link.signingRequestId,
      occurrenceId: email.link.occurrenceId,
      expiresAt: email.link.expiresAt,
    };
    await db.accessToken.upsert({
      where: { outboxKey: email.idempotencyKey },
      create: { outboxKey: email.idempotencyKey, ...grant },
      update: grant,
    });
  }
  const composed = email.compose(token);
  // A retry keeps the Message-ID the first attempt recorded (an earlier release may have written it).
  const messageId = existing?.messageId ?? messageIdFor(email.idempotencyKey, mailer.from);
  await db.emailOutbox.upsert({
    where: { idempotencyKey: email.idempotencyKey },
    create: {
      idempotencyKey: email.idempotencyKey,
      promiseId: email.promiseId,
      recipient: email.to,
      purpose: email.purpose,
      subject: composed.subject,
      messageId,
      attempts: 1,
      scheduledFor: email.scheduledFor === undefined ? undefined : new Date(email.scheduledFor),
    },
    update: { attempts: { increment: 1 } },
  });
  const limit = deps.dailyLimitPerRecipient ?? DEFAULT_DAILY_LIMIT_PER_RECIPIENT;
  if (!(await claimDailyAllowance(db, email, limit))) {
    await db.$transaction(async (tx) => {
      await tx.emailOutbox.update({
        where: { idempotencyKey: email.idempotencyKey },
        data: { status: 'SUPPRESSED', lastError: `Hölls tillbaka: ${email.to} har fått ${limit} e-postmeddelanden det senaste dygnet.` },
      });
      await recordAudit(tx, {
        promiseId: email.promiseId,
        actor: OUTBOX_ACTOR,
        action: 'EMAIL_SUPPRESSED',
        details: { purpose: email.purpose, to: email.to, limit },
        idempotencyKey: `email-suppressed:${email.idempotencyKey}`,
      });
    });
    return 'SUPPRESSED';
  }
  try {
    const coordinator = email.promiseId ? await coordinatorOfPromise(db, email.promiseId) : undefined;
    await mailer.send({
      to: { name: email.toName && asOneLine(email.toName), address: email.to },
      ...(coordinator ? { replyTo: { name: asOneLine(coordinator.name), address: coordinator.email } } : {}),
      messageId,
      ...composed,
    });
  } catch (error) {
    const refusal = permanentRelayRefusal(error);
    if (refusal) {
      // The relay will never take this address: recorded, not retried; the caller tells whoever must know.
      await db.$transaction(async (tx) => {
        await tx.emailOutbox.update({ where: { idempotencyKey: email.idempotencyKey }, data: { status: 'UNDELIVERABLE', lastError: refusal } });
        await recordAudit(tx, {
          promiseId: email.promiseId,
          actor: OUTBOX_ACTOR,
          action: 'EMAIL_UNDELIVERABLE',
          details: { purpose: email.purpose, to: email.to, relay: refusal },
          idempotencyKey: `email-undeliverable:${email.idempotencyKey}`,
        });
      });
      return 'UNDELIVERABLE';
    }
    await db.emailOutbox.update({
      where: { idempotencyKey: email.idempotencyKey },
      data: { lastError: String(error instanceof Error ? error.message : error).slice(0, 1000) },
    });
    throw error;
  }
  await db.$transaction(async (tx) => {
    await tx.emailOutbox.update({
      where: { idempotencyKey: email.idempotencyKey },
      data: { status: 'SENT', sentAt: new Date(), lastError: null },
    });
    await recordAudit(tx, {
      promiseId: email.promiseId,
      actor: OUTBOX_ACTOR,
      action: 'EMAIL_SENT',
      details: { purpose: email.purpose, to: email.to } satisfies Prisma.InputJsonValue,
      idempotencyKey: `email:${email.idempotencyKey}`,
    });
  });
  return 'SENT';
}

/**
 * An e-mail that is no longer needed (its request was answered meanwhile) is not sent. If an earlier
 * attempt got as far as the outbox and was cut off, its row is closed as ABANDONED rather than left
 * waiting: the relay may have taken it, so its link stays valid.
 */
export async function abandonIfPending(db: Database, idempotencyKey: string): Promise<void> {
  await db.emailOutbox.updateMany({ where: { idempotencyKey, status: 'PENDING' }, data: { status: 'ABANDONED' } });
}
