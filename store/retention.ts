import type { Prisma } from '../prisma/generated/client';
import { durationToMs } from '../domain/durations';
import { isPseudonym } from '../domain/crypto';
import { organisationPolicy, retentionCutoffs, type RetentionPolicy, type Sweep } from '../domain/retention';
import type { SessionPolicy } from '../domain/sessions';
import { recordAudit } from './audit';
import { mapPromiseAddresses } from './addresses';
import type { Database, Tx } from './database';
import { promisesOfOrganisation } from './organisations';

// The retention sweeps: each takes one batch of what is past its limit, changes it and records how
// many in the same transaction (never what), and says how many it took. Run again, a sweep finds
// only what is left, so a run cut off halfway resumes without harm. Only what the inventory
// (domain/personal-data.ts) lets go is touched: the signed text's hash, the signatures' fingerprint,
// time, name and title stay, and a promise's addresses only once it has ended.

export interface SweepInput {
  sweep: Sweep;
  /** The run's moment (workflow time). */
  now: number;
  policy: RetentionPolicy;
  sessionPolicy: SessionPolicy;
  /** The installation's secret that pseudonyms are keyed with (domain/crypto.ts). */
  pseudonym: (address: string) => string;
}

export const SWEEP_BATCH = 200;

const RETENTION_ACTOR = { kind: 'SYSTEM', id: 'retention' } as const;

async function inBatch(db: Database, input: SweepInput, change: (tx: Tx) => Promise<number>): Promise<number> {
  return db.$transaction(async (tx) => {
    const count = await change(tx);
    if (count > 0) {
      await recordAudit(tx, {
        actor: RETENTION_ACTOR,
        action: 'PERSONAL_DATA_SWEPT',
        details: { sweep: input.sweep, count },
      });
    }
    return count;
  });
}

const ids = (rows: { id: string }[]) => rows.map((row) => row.id);

/**
 * The moments before which a sweep acts, for the promises each applies to: the installation's for
 * every promise, and an organisation's shorter ones for the promises it runs.
 */
async function cutoffsByPromises(tx: Tx, input: SweepInput) {
  const shortened = await tx.organisation.findMany({
    where: { OR: [{ retentionTechnicalDays: { not: null } }, { retentionAddressMonths: { not: null } }] },
  });
  return [
    { promises: {}, ...retentionCutoffs(input.policy, input.now) },
    ...shortened.map((organisation) => ({
      promises: promisesOfOrganisation(organisation),
      ...retentionCutoffs(organisationPolicy(input.policy, organisation), input.now),
    })),
  ];
}

/** One batch of the sweep; 0 when nothing is left. */
export function sweepBatch(db: Database, input: SweepInput): Promise<number> {
  const cutoffs = retentionCutoffs(input.policy, input.now);
  const now = new Date(input.now);
  return inBatch(db, input, async (tx) => {
    switch (input.sweep) {
      case 'SIGNATURE_ORIGINS': {
        const limits = await cutoffsByPromises(tx, input);
        const due = await tx.signature.findMany({
          where: {
            OR: limits.map(({ promises, technical }) => ({ decidedAt: { lt: technical }, request: { round: { promise: promises } } })),
            AND: { OR: [{ ipAddress: { not: null } }, { userAgent: { not: null } }] },
          },
          select: { id: true },
          take: SWEEP_BATCH,
        });
        return (await tx.signature.updateMany({ where: { id: { in: ids(due) } }, data: { ipAddress: null, userAgent: null } })).count;
      }
      case 'AUDIT_ORIGINS': {
        // An event names its promise by id only: an organisation's shorter limit goes by its promises' ids.
        const [everyone, ...organisations] = await cutoffsByPromises(tx, input);
        const shorter = await Promise.all(
          organisations.map(async ({ promises, technical }) => ({
            occurredAt: { lt: technical },
            event: { promiseId: { in: ids(await tx.promiseRecord.findMany({ where: promises, select: { id: true } })) } },
          })),
        );
        const due = await tx.auditOrigin.findMany({
          where: { OR: [{ occurredAt: { lt: everyone!.technical } }, ...shorter] },
          select: { eventId: true },
          take: SWEEP_BATCH,
        });
        return (await tx.auditOrigin.deleteMany({ where: { eventId: { in: due.map((o) => o.eventId) } } })).count;
      }
      case 'RELAY_ANSWERS': {
        const due = await tx.emailOutbox.findMany({
          where: { lastError: { not: null }, lastAttemptAt: { lt: cutoffs.relayAnswer } },
          select: { id: true },
          take: SWEEP_BATCH,
        });
        const cleared = await tx.emailOutbox.updateMany({ where: { id: { in: ids(due) } }, data: { lastError: null } });
        // A delivery status notification's words are the relay's answer too (issue 26).
        const notices = await tx.bounceNotice.findMany({
          where: { diagnostic: { not: null }, receivedAt: { lt: cutoffs.relayAnswer } },
          select: { id: true },
          take: SWEEP_BATCH,
        });
        const clearedNotices = await tx.bounceNotice.updateMany({ where: { id: { in: ids(notices) } }, data: { diagnostic: null } });
        return cleared.count + clearedNotices.count;
      }
      case 'SIGN_IN_ADDRESSES':
        return pseudonymiseOutbox(tx, input, { promiseId: null, createdAt: { lt: cutoffs.relayAnswer } });
      case 'PROMISE_ADDRESSES':
        return pseudonymiseEndedPromises(tx, input, await cutoffsByPromises(tx, input));
      case 'ADDRESS_REFERENCES':
        return forgetUnusedAddresses(tx);
      case 'SIGN_IN_LINKS':
        return deleteBatch(tx.signInLink, { expiresAt: { lt: now } });
      case 'SESSIONS': {
        const { idle, max } = input.sessionPolicy;
        return deleteBatch(tx.coordinatorSession, {
          OR: [
            { endedAt: { not: null } },
            { lastSeenAt: { lt: new Date(input.now - durationToMs(idle)) } },
            { createdAt: { lt: new Date(input.now - durationToMs(max)) } },
          ],
        });
      }
    }
  });
}

type Deletable<Where> = {
  findMany(args: { where: Where; select: { id: true }; take: number }): Promise<{ id: string }[]>;
  deleteMany(args: { where: { id: { in: string[] } } }): Promise<{ count: number }>;
};

async function deleteBatch<Where>(table: Deletable<Where>, where: Where): Promise<number> {
  const due = await table.findMany({ where, select: { id: true }, take: SWEEP_BATCH });
  return (await table.deleteMany({ where: { id: { in: ids(due) } } })).count;
}

async function pseudonymiseOutbox(tx: Tx, input: SweepInput, where: Prisma.EmailOutboxWhereInput): Promise<number> {
  const due = await tx.emailOutbox.findMany({
    where: { ...where, NOT: { recipient: { endsWith: '@pseudonym.invalid' } } },
    select: { id: true, recipient: true },
    take: SWEEP_BATCH,
  });
  for (const row of due) await tx.emailOutbox.update({ where: { id: row.id }, data: { recipient: input.pseudonym(row.recipient) } });
  return due.length;
}

/**
 * Every address kept for a promise that closed or was withdrawn and whose period ended before its
 * limit (the installation's, or its organisation's shorter one), as a pseudonym. Counts the promises.
 */
async function pseudonymiseEndedPromises(
  tx: Tx,
  input: SweepInput,
  limits: { promises: Prisma.PromiseRecordWhereInput; periodEnded: Date }[],
): Promise<number> {
  const clear = { NOT: { email: { endsWith: '@pseudonym.invalid' } } };
  const promises = await tx.promiseRecord.findMany({
    where: {
      status: { in: ['CLOSED', 'WITHDRAWN'] },
      OR: limits.map(({ promises, periodEnded }) => ({ ...promises, periodEnd: { lt: periodEnded } })),
      versions: { some: { OR: [{ signatories: { some: clear } }, { commitments: { some: { contacts: { some: clear } } } }] } },
    },
    select: { id: true },
    take: 10,
  });
  const map = (address: string) => (isPseudonym(address) ? address : input.pseudonym(address));
  for (const { id } of promises) await mapPromiseAddresses(tx, id, map);
  return promises.length;
}

/**
 * The audit log names addresses by id (EmailAddress): once no table keeps an address any longer,
 * its row forgets it, and the ids in the log lead nowhere.
 */
async function forgetUnusedAddresses(tx: Tx): Promise<number> {
  return tx.$executeRaw`
    UPDATE "EmailAddress" SET address = NULL
    WHERE id IN (
      SELECT a.id FROM "EmailAddress" a
      WHERE a.address IS NOT NULL
        AND NOT EXISTS (SELECT 1 FROM "Signatory" s WHERE lower(s.email) = a.address)
        AND NOT EXISTS (SELECT 1 FROM "CommitmentContact" c WHERE lower(c.email) = a.address)
        AND NOT EXISTS (SELECT 1 FROM "Coordinator" k WHERE lower(k.email) = a.address)
        AND NOT EXISTS (SELECT 1 FROM "EmailOutbox" o WHERE lower(o.recipient) = a.address)
      LIMIT ${SWEEP_BATCH}
    )`;
}
