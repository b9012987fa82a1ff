import type { Prisma } from '@prisma/client';
import type { Actor } from '../domain/actor';
import type { AuditAction } from '../domain/audit-actions';
import type { Database, Tx } from './database';

export interface AuditEntry {
  promiseId?: string;
  actor: Actor;
  action: AuditAction;
  details?: Prisma.InputJsonValue;
  /** Set where a retry could write the same event again. */
  idempotencyKey?: string;
}

export async function recordAudit(tx: Tx, entry: AuditEntry): Promise<void> {
  await tx.auditEvent.createMany({
    data: [
      {
        promiseId: entry.promiseId,
        actor: `${entry.actor.kind}:${entry.actor.id}`,
        action: entry.action,
        details: entry.details,
        ipAddress: entry.actor.ipAddress,
        userAgent: entry.actor.userAgent,
        idempotencyKey: entry.idempotencyKey,
      },
    ],
    skipDuplicates: true,
  });
}

/** A promise's audit trail in the order it happened. */
export const auditTrailOf = (db: Database, promiseId: string) => db.auditEvent.findMany({ where: { promiseId }, orderBy: { id: 'asc' } });

/**
 * The people behind recorded actors ("COORDINATOR:<id>", "SIGNATORY:<id>") by name, as the audit
 * trail shows them; a contact is recorded by address, and the service by itself.
 */
export async function actorNamesOf(db: Database, actors: string[]): Promise<Map<string, string>> {
  const idsOf = (kind: string) => [...new Set(actors.filter((a) => a.startsWith(`${kind}:`)).map((a) => a.slice(kind.length + 1)))];
  const [coordinators, signatories] = await Promise.all([
    db.coordinator.findMany({ where: { id: { in: idsOf('COORDINATOR') } } }),
    db.signatory.findMany({ where: { id: { in: idsOf('SIGNATORY') } } }),
  ]);
  return new Map([
    ...coordinators.map((c) => [`COORDINATOR:${c.id}`, c.name] as const),
    ...signatories.map((s) => [`SIGNATORY:${s.id}`, `${s.name}, ${s.title}`] as const),
  ]);
}
