import { randomUUID } from 'node:crypto';
import type { Prisma } from '../prisma/generated/client';
import type { Actor } from '../domain/actor';
import { addressIdOf, recordAudit } from './audit';
import type { Database } from './database';

// The outbox's records: one row per e-mail (its idempotency key), the personal link it carries,
// and the audit events of its fate. activities/outbox.ts decides; this file only stores.

const OUTBOX_ACTOR: Actor = { kind: 'SYSTEM', id: 'outbox' };

export interface OutboxEntry {
  idempotencyKey: string;
  promiseId?: string;
  recipient: string;
  purpose: string;
}

export const findOutboxEntry = (db: Database, idempotencyKey: string) => db.emailOutbox.findUnique({ where: { idempotencyKey } });

/** The personal link an e-mail carries, by the hash of its token; the same key grants the same link again. */
export async function grantLink(
  db: Database,
  idempotencyKey: string,
  grant: { tokenHash: string; purpose: 'SIGN' | 'REPORT'; signingRequestId?: string; occurrenceId?: string; expiresAt: Date },
) {
  await db.accessToken.upsert({ where: { outboxKey: idempotencyKey }, create: { outboxKey: idempotencyKey, ...grant }, update: grant });
}

/** Counts an attempt at an e-mail that is not to be sent (written on the first); its outbox row's id. */
export async function recordAttempt(db: Database, entry: OutboxEntry & { subject: string; messageId: string; scheduledFor?: Date }) {
  const row = await db.emailOutbox.upsert({
    where: { idempotencyKey: entry.idempotencyKey },
    create: { ...entry, attempts: 1 },
    update: { attempts: { increment: 1 } },
    select: { id: true },
  });
  return row.id;
}

/**
 * Counts an attempt at the e-mail (written on the first) and claims a place within the recipient's
 * daily limit for it: one statement under a lock per address, so that workers sending at once count
 * each other (the statement after the lock sees what they committed). Tried sends count, delivered
 * or not; a retry of the same e-mail does not count twice. On the database's clock.
 */
export async function recordAttemptWithinDailyLimit(
  db: Database,
  entry: OutboxEntry & { subject: string; messageId: string; scheduledFor?: Date },
  limit: number,
): Promise<{ outboxId: string; allowed: boolean }> {
  return db.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`outbox:${entry.recipient}`}))`;
    const [row] = await tx.$queryRaw<{ id: string; allowed: boolean }[]>`
      WITH clock AS (SELECT now() AT TIME ZONE 'UTC' AS now),
      recent AS (
        SELECT count(*) < ${limit} AS allowed FROM "EmailOutbox", clock
        WHERE recipient = ${entry.recipient} AND "idempotencyKey" <> ${entry.idempotencyKey}
          AND status IN ('PENDING', 'SENT') AND "lastAttemptAt" >= clock.now - interval '1 day'
      )
      INSERT INTO "EmailOutbox"
        (id, "idempotencyKey", "promiseId", recipient, purpose, subject, "messageId", "scheduledFor", attempts, "lastAttemptAt")
      SELECT ${randomUUID()}, ${entry.idempotencyKey}, ${entry.promiseId ?? null}, ${entry.recipient}, ${entry.purpose},
        ${entry.subject}, ${entry.messageId}, ${entry.scheduledFor ?? null}::timestamp, 1, CASE WHEN recent.allowed THEN clock.now END
      FROM recent, clock
      ON CONFLICT ("idempotencyKey") DO UPDATE SET
        attempts = "EmailOutbox".attempts + 1,
        "lastAttemptAt" = COALESCE(EXCLUDED."lastAttemptAt", "EmailOutbox"."lastAttemptAt")
      RETURNING id, (SELECT allowed FROM recent)`;
    return { outboxId: row!.id, allowed: row!.allowed };
  });
}

/** The e-mail's final state and the audit event that says so, together. */
async function close(
  db: Database,
  entry: OutboxEntry,
  data: Prisma.EmailOutboxUpdateInput,
  audit: { action: 'EMAIL_SENT' | 'EMAIL_SUPPRESSED' | 'EMAIL_UNDELIVERABLE'; keyPrefix: string; details: Record<string, unknown> },
) {
  await db.$transaction(async (tx) => {
    await tx.emailOutbox.update({ where: { idempotencyKey: entry.idempotencyKey }, data });
    await recordAudit(tx, {
      promiseId: entry.promiseId,
      actor: OUTBOX_ACTOR,
      action: audit.action,
      details: { purpose: entry.purpose, toAddressId: await addressIdOf(tx, entry.recipient), ...audit.details } as Prisma.InputJsonValue,
      idempotencyKey: `${audit.keyPrefix}:${entry.idempotencyKey}`,
    });
  });
}

export const markSent = (db: Database, entry: OutboxEntry) =>
  close(db, entry, { status: 'SENT', sentAt: new Date(), lastError: null }, { action: 'EMAIL_SENT', keyPrefix: 'email', details: {} });

export const markSuppressed = (db: Database, entry: OutboxEntry, limit: number) =>
  close(
    db,
    entry,
    { status: 'SUPPRESSED', lastError: `Hölls tillbaka: ${entry.recipient} har fått ${limit} e-postmeddelanden det senaste dygnet.` },
    { action: 'EMAIL_SUPPRESSED', keyPrefix: 'email-suppressed', details: { limit } },
  );

export const markUndeliverable = (db: Database, entry: OutboxEntry, relay: string) =>
  close(
    db,
    entry,
    { status: 'UNDELIVERABLE', lastError: relay },
    // The audit log keeps no address: the relay's words may name it.
    {
      action: 'EMAIL_UNDELIVERABLE',
      keyPrefix: 'email-undeliverable',
      details: { relay: relay.replace(/[^\s<>"'@]+@[^\s<>"']+/g, '<adress>') },
    },
  );

/** Whether the address was erased at the person's request (by its keyed hash, domain/crypto.ts). */
export const isErasedAddress = async (db: Database, hash: string) => (await db.emailAddress.count({ where: { erasedHash: hash } })) > 0;

/** A failed attempt that will be tried again: its error, for the coordinator to see meanwhile. */
export async function recordSendError(db: Database, idempotencyKey: string, error: string) {
  await db.emailOutbox.update({ where: { idempotencyKey }, data: { lastError: error.slice(0, 1000) } });
}

/** An e-mail no longer needed: a row an earlier attempt left waiting is closed as ABANDONED. */
export async function abandonIfPending(db: Database, idempotencyKey: string): Promise<void> {
  await db.emailOutbox.updateMany({ where: { idempotencyKey, status: 'PENDING' }, data: { status: 'ABANDONED' } });
}

/** What the relay answered when it refused this address for the promise, last time. */
export async function relayRefusalOf(db: Database, promiseId: string, address: string): Promise<string | undefined> {
  const row = await db.emailOutbox.findFirst({
    where: { promiseId, recipient: address, status: 'UNDELIVERABLE' },
    orderBy: { createdAt: 'desc' },
  });
  return row?.lastError ?? undefined;
}

/** The latest e-mail whose key starts so, that went to this address. */
export const latestSentTo = (db: Database, keyPrefix: string, address: string) =>
  db.emailOutbox.findFirst({
    where: { idempotencyKey: { startsWith: keyPrefix }, recipient: { equals: address, mode: 'insensitive' } },
    orderBy: { createdAt: 'desc' },
  });

/** Whom the e-mail with this key went to (a personal link's holder). */
export const recipientOf = async (db: Database, idempotencyKey: string) => (await findOutboxEntry(db, idempotencyKey))?.recipient;
