import type { Prisma } from '../prisma/generated/client';
import type { Actor } from '../domain/actor';
import type { AuditChain, ChainHead } from '../domain/audit-chain';
import type { AuditAction } from '../domain/audit-actions';
import type { Database, Tx } from './database';
import { enqueueWebhooks } from './webhooks';

export interface AuditEntry {
  promiseId?: string;
  actor: Actor;
  action: AuditAction;
  details?: Prisma.InputJsonValue;
  /** Set where a retry could write the same event again. */
  idempotencyKey?: string;
}

/**
 * Records an event. The event holds no personal data, so it can stay for good: where it came from
 * (IP address, browser) goes into AuditOrigin, which retention deletes; a contact is named by the
 * id of their address (addressIdOf), never by the address.
 */
export async function recordAudit(tx: Tx, entry: AuditEntry): Promise<void> {
  const [event] = await tx.auditEvent.createManyAndReturn({
    data: [
      {
        promiseId: entry.promiseId,
        actor: `${entry.actor.kind}:${entry.actor.id}`,
        action: entry.action,
        details: entry.details,
        idempotencyKey: entry.idempotencyKey,
      },
    ],
    select: { id: true, occurredAt: true },
    skipDuplicates: true,
  });
  // A retry that found the event written has nothing more to do.
  if (!event) return;
  const { ipAddress, userAgent } = entry.actor;
  if (ipAddress || userAgent) await tx.auditOrigin.create({ data: { eventId: event.id, ipAddress, userAgent } });
  if (entry.promiseId) {
    await enqueueWebhooks(tx, { ...event, promiseId: entry.promiseId, action: entry.action, details: entry.details });
  }
}

/** The id the audit log names an e-mail address by (the same for every spelling of its case). */
export async function addressIdOf(tx: Pick<Tx, 'emailAddress'>, address: string): Promise<string> {
  const normalised = address.trim().toLowerCase();
  // Most addresses are known already (a person gets several e-mails): one read. A new one: ON
  // CONFLICT DO NOTHING, then read again, since many e-mails to one address close at once and an
  // upsert (read, then insert) would let two of them insert the same address and one fail.
  const known = await tx.emailAddress.findUnique({ where: { address: normalised }, select: { id: true } });
  if (known) return known.id;
  await tx.emailAddress.createMany({ data: [{ address: normalised }], skipDuplicates: true });
  return (await tx.emailAddress.findUniqueOrThrow({ where: { address: normalised }, select: { id: true } })).id;
}

/** A promise's audit trail in the order of its chain, with where each event came from while that is kept. */
export async function auditTrailOf(db: Database, promiseId: string) {
  const events = await db.auditEvent.findMany({ where: { promiseId }, orderBy: { chainSequence: 'asc' }, include: { origin: true } });
  return events.map(({ origin, ...event }) => ({ ...event, ipAddress: origin?.ipAddress ?? null, userAgent: origin?.userAgent ?? null }));
}

/**
 * The people behind recorded actors ("COORDINATOR:<id>", "SIGNATORY:<id>") by name, and contacts
 * ("CONTACT:<address id>") by their address while it is kept, as the audit trail shows them.
 */
export async function actorNamesOf(db: Database, actors: string[]): Promise<Map<string, string>> {
  const idsOf = (kind: string) => [...new Set(actors.filter((a) => a.startsWith(`${kind}:`)).map((a) => a.slice(kind.length + 1)))];
  const [coordinators, signatories, contacts] = await Promise.all([
    db.coordinator.findMany({ where: { id: { in: idsOf('COORDINATOR') } } }),
    db.signatory.findMany({ where: { id: { in: idsOf('SIGNATORY') } } }),
    db.emailAddress.findMany({ where: { id: { in: idsOf('CONTACT').filter(isUuid) }, address: { not: null } } }),
  ]);
  return new Map([
    ...coordinators.map((c) => [`COORDINATOR:${c.id}`, c.name] as const),
    ...signatories.map((s) => [`SIGNATORY:${s.id}`, `${s.name}, ${s.title}`] as const),
    ...contacts.map((a) => [`CONTACT:${a.id}`, a.address!] as const),
  ]);
}

const isUuid = (id: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id);

/**
 * A promise's trail as anyone may check it (domain/audit-chain.ts): the chained events without
 * where they came from, which retention deletes and the chain does not cover.
 */
export async function auditChainOf(db: Database, promiseId: string): Promise<AuditChain> {
  const events = await db.auditEvent.findMany({ where: { promiseId }, orderBy: { chainSequence: 'asc' } });
  return {
    promiseId,
    events: events.map((e) => ({
      sequence: e.chainSequence!,
      at: e.occurredAt.toISOString(),
      actor: e.actor,
      action: e.action,
      details: e.details,
      idempotencyKey: e.idempotencyKey,
      previousHash: e.previousHash!,
      hash: e.hash!,
    })),
  };
}

/** The chain's last event (its head), and its head as it stood when the promise was signed: one statement. */
export async function chainHeadsOf(db: Database, promiseId: string): Promise<{ head: ChainHead | null; atSigning: ChainHead | null }> {
  const [row] = await db.$queryRaw<{ head: ChainHead | null; atSigning: ChainHead | null }[]>`
    SELECT
      (SELECT json_build_object('hash', hash, 'sequence', "chainSequence")
         FROM "AuditEvent" WHERE "promiseId" = ${promiseId}
         ORDER BY "chainSequence" DESC LIMIT 1) AS head,
      (SELECT json_build_object('hash', hash, 'sequence', "chainSequence")
         FROM "AuditEvent" WHERE "promiseId" = ${promiseId} AND action = 'SIGNING_ROUND_COMPLETED'
         ORDER BY "chainSequence" DESC LIMIT 1) AS "atSigning"`;
  return { head: row?.head ?? null, atSigning: row?.atSigning ?? null };
}
