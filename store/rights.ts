import type { Prisma } from '../prisma/generated/client';
import type { Actor } from '../domain/actor';
import { DomainError } from '../domain/errors';
import { mapPromiseAddresses } from './addresses';
import { recordAudit } from './audit';
import type { Database } from './database';

// A person's rights over what is kept about them, by their e-mail address, within the promises a
// coordinator may see: access (GDPR art. 15) and erasure (art. 17). The signed promise is a public
// record, so erasure keeps the names and titles as signed, and says so.

const same = (address: string) => ({ equals: address.trim(), mode: 'insensitive' as const });

/** Everything kept about the address in the promises `visible` selects, as plain data for a JSON export. */
export async function personalDataOf(db: Database, address: string, visible: Prisma.PromiseRecordWhereInput) {
  const inVisible = { version: { promise: visible } };
  const [signatories, contacts, reference] = await Promise.all([
    db.signatory.findMany({
      where: { email: same(address), ...inVisible },
      include: {
        version: { select: { number: true, promise: { select: { id: true, title: true, status: true } } } },
        party: { select: { name: true } },
        requests: { include: { signature: true, round: { select: { number: true } } } },
      },
    }),
    db.commitmentContact.findMany({
      where: { email: same(address), commitment: inVisible },
      include: {
        commitment: { select: { text: true, version: { select: { number: true, promise: { select: { id: true, title: true } } } } } },
      },
    }),
    db.emailAddress.findUnique({ where: { address: address.trim().toLowerCase() } }),
  ]);
  const promiseIds = [
    ...new Set([...signatories.map((s) => s.version.promise.id), ...contacts.map((c) => c.commitment.version.promise.id)]),
  ];
  const actors = [...signatories.map((s) => `SIGNATORY:${s.id}`), ...(reference ? [`CONTACT:${reference.id}`] : [])];
  const mentions = reference
    ? [
        { details: { path: ['toAddressId'], equals: reference.id } },
        { details: { path: ['addressId'], equals: reference.id } },
        { details: { path: ['previousAddressId'], equals: reference.id } },
      ]
    : [];
  const [emails, events, reports] = await Promise.all([
    db.emailOutbox.findMany({
      where: { recipient: same(address), promiseId: { in: promiseIds } },
      select: {
        promiseId: true,
        purpose: true,
        subject: true,
        status: true,
        lastError: true,
        createdAt: true,
        sentAt: true,
        messageId: true,
      },
      orderBy: { createdAt: 'asc' },
    }),
    db.auditEvent.findMany({
      where: { promiseId: { in: promiseIds }, OR: [{ actor: { in: actors } }, ...mentions] },
      include: { origin: true },
      orderBy: { id: 'asc' },
    }),
    db.activityReport.findMany({ where: { reportedBy: { in: actors } }, orderBy: { createdAt: 'asc' } }),
  ]);
  return {
    address,
    signatories: signatories.map((s) => ({
      promise: s.version.promise,
      versionNumber: s.version.number,
      party: s.party.name,
      key: s.key,
      name: s.name,
      title: s.title,
      email: s.email,
      requests: s.requests.map((r) => ({
        roundNumber: r.round.number,
        status: r.status,
        sentAt: r.sentAt,
        signature: r.signature && {
          decision: r.signature.decision,
          decidedAt: r.signature.decidedAt,
          documentSha256: r.signature.documentSha256,
          reason: r.signature.reason,
          ipAddress: r.signature.ipAddress,
          userAgent: r.signature.userAgent,
        },
      })),
    })),
    contacts: contacts.map((c) => ({
      promise: c.commitment.version.promise,
      versionNumber: c.commitment.version.number,
      commitment: c.commitment.text,
      name: c.name,
      title: c.title,
      email: c.email,
    })),
    emails,
    reports: reports.map((r) => ({ id: r.id, kind: r.kind, createdAt: r.createdAt, description: r.description, reason: r.reason })),
    auditEvents: events.map((e) => ({
      promiseId: e.promiseId,
      at: e.occurredAt,
      action: e.action,
      details: e.details,
      ipAddress: e.origin?.ipAddress ?? null,
      userAgent: e.origin?.userAgent ?? null,
    })),
  };
}

export type PersonalData = Awaited<ReturnType<typeof personalDataOf>>;

export const isEmpty = (data: PersonalData) =>
  data.signatories.length + data.contacts.length + data.emails.length + data.reports.length + data.auditEvents.length === 0;

export interface ErasureInput {
  address: string;
  /** The address's keyed hash (domain/crypto.ts): kept so nothing is sent to it again. */
  hash: string;
  pseudonym: string;
  reason: string;
  actor: Actor;
  visible: Prisma.PromiseRecordWhereInput;
}

/**
 * Replaces the address with its pseudonym everywhere in the visible promises (their content, their
 * signatories and contacts, their outbox) and stops every later e-mail to it. Names and titles as
 * signed stay: they are the public record. A coordinator's own address is refused: it is their account.
 */
export async function eraseAddress(db: Database, input: ErasureInput) {
  if ((await db.coordinator.count({ where: { email: same(input.address) } })) > 0) {
    throw new DomainError(
      'CONFLICT',
      'Adressen hör till en samordnares konto och raderas inte här: kontot behövs så länge personen är samordnare. Be driftansvarig ta bort kontot.',
    );
  }
  const data = await personalDataOf(db, input.address, input.visible);
  if (isEmpty(data)) throw new DomainError('NOT_FOUND', `Inga uppgifter om ${input.address} finns i löftena du når.`);
  const promiseIds = [...new Set([...data.signatories.map((s) => s.promise.id), ...data.contacts.map((c) => c.promise.id)])];
  const matches = (address: string) => address.trim().toLowerCase() === input.address.trim().toLowerCase();
  const map = (address: string) => (matches(address) ? input.pseudonym : address);
  return db.$transaction(async (tx) => {
    for (const promiseId of promiseIds) await mapPromiseAddresses(tx, promiseId, map);
    // A personal identity number locked to the person goes with their address.
    const pinned = data.signatories.map((s) => ({ promiseId: s.promise.id, signatoryKey: s.key }));
    if (pinned.length > 0) await tx.personalNumberPin.deleteMany({ where: { OR: pinned } });
    const normalised = input.address.trim().toLowerCase();
    const reference = await tx.emailAddress.findUnique({ where: { address: normalised } });
    // Erased before and back since (typed into a promise, corrected to): the first erasure's row
    // keeps the hash, and the row made since only loses its address.
    const before = await tx.emailAddress.findUnique({ where: { erasedHash: input.hash } });
    const erasedAt = new Date();
    const row = reference
      ? await tx.emailAddress.update({
          where: { id: reference.id },
          data: { address: null, erasedAt, ...(before ? {} : { erasedHash: input.hash }) },
        })
      : before
        ? await tx.emailAddress.update({ where: { id: before.id }, data: { erasedAt } })
        : await tx.emailAddress.create({ data: { erasedHash: input.hash, erasedAt } });
    for (const promiseId of promiseIds) {
      await recordAudit(tx, {
        promiseId,
        actor: input.actor,
        action: 'PERSONAL_DATA_ERASED',
        details: { addressId: row.id, reason: input.reason },
      });
    }
    return {
      promises: promiseIds.length,
      kept: [
        ...data.signatories.map((s) => ({ promise: s.promise.title, name: s.name, title: s.title })),
        ...data.contacts.map((c) => ({ promise: c.promise.title, name: c.name, title: c.title ?? '' })),
      ],
    };
  });
}
