import { randomUUID } from 'node:crypto';
import type { Prisma } from '../prisma/generated/client';
import type { Actor } from '../domain/actor';
import type { AuditAction } from '../domain/audit-actions';
import { midnightUtc, utcDateOf } from '../domain/calendar';
import type { PromiseContent } from '../domain/content';
import { contactsOf } from '../domain/stored-content';
import { organisationInWords } from '../domain/describe';
import { sha256Hex } from '../domain/crypto';
import { canonicalTextOf, sameContent } from '../domain/document';
import { DomainError } from '../domain/errors';
import { promiseWorkflowId } from '../domain/identifiers';
import { STATUS_LABELS_SV, type PromiseStatus } from '../domain/lifecycle';
import type { PromiseListing } from '../domain/search-attributes';
import type { PromiseSettings } from '../domain/settings';
import { recordAudit } from './audit';
import { actingOrganisation, promisesVisibleTo } from './organisations';
import type { Database, Tx } from './database';

function promiseColumns(content: PromiseContent) {
  return {
    title: content.title,
    municipality: content.municipality,
    policeArea: content.policeArea ?? null,
    periodStart: midnightUtc(content.period.start),
    periodEnd: midnightUtc(content.period.end),
    renewalMode: content.renewal,
  };
}

/** Writes one immutable version and the rows it consists of (parties, signatories, areas, commitments). */
async function insertVersion(
  tx: Tx,
  promiseId: string,
  number: number,
  content: PromiseContent,
  actor: Actor,
  carriedOver: Record<string, string> = {},
) {
  const canonicalText = canonicalTextOf(content);
  const version = await tx.documentVersion.create({
    data: {
      promiseId,
      number,
      content: content as unknown as Prisma.InputJsonValue,
      canonicalText,
      sha256: sha256Hex(canonicalText),
      createdBy: `${actor.kind}:${actor.id}`,
    },
  });
  const partyIds = new Map(content.parties.map((party) => [party.key, randomUUID()]));
  await tx.party.createMany({
    data: [
      ...content.parties.map((party) => ({ id: partyIds.get(party.key)!, versionId: version.id, ...party })),
      ...(content.participants ?? []).map((participant) => ({ versionId: version.id, ...participant, signs: false })),
    ],
  });
  await tx.signatory.createMany({
    data: content.signatories.map(({ partyKey, ...signatory }) => ({
      versionId: version.id,
      partyId: partyIds.get(partyKey)!,
      ...signatory,
    })),
  });
  for (const [position, area] of content.priorityAreas.entries()) {
    const { commitments, ...areaFields } = area;
    const areaRow = await tx.priorityArea.create({
      data: { versionId: version.id, position, ...areaFields, problem: areaFields.problem ?? null },
    });
    const rows = commitments.map((commitment, index) => ({ id: randomUUID(), commitment, index }));
    await tx.commitment.createMany({
      data: rows.map(({ id, commitment, index }) => ({
        id,
        versionId: version.id,
        areaId: areaRow.id,
        key: commitment.key,
        position: index,
        text: commitment.text,
        shape: commitment.shape.kind,
        count: commitment.shape.kind === 'COUNT_PER_PERIOD' ? commitment.shape.count : null,
        countPeriod: commitment.shape.kind === 'COUNT_PER_PERIOD' ? commitment.shape.period : null,
        dueDate: commitment.shape.kind === 'ONE_OFF' && commitment.shape.dueDate ? midnightUtc(commitment.shape.dueDate) : null,
        reportEvery: commitment.shape.kind === 'CONTINUOUS' ? commitment.shape.reportEvery : null,
        responsiblePartyKeys: commitment.responsiblePartyKeys,
        carriedOverFromId: carriedOver[commitment.key] ?? null,
      })),
    });
    await tx.commitmentContact.createMany({
      data: rows.flatMap(({ id, commitment }) =>
        contactsOf(commitment).map((contact, position) => ({
          commitmentId: id,
          position,
          name: contact.name,
          title: contact.title ?? null,
          email: contact.email,
        })),
      ),
    });
  }
  return version;
}

export async function createDraft(
  db: Database,
  input: {
    content: PromiseContent;
    settings: PromiseSettings;
    coordinatorId: string;
    actor: Actor;
    /** A renewal: its predecessor, and which commitments carry over unfinished work (key to old id). */
    renewalOf?: { predecessorId: string; carriedOver: Record<string, string> };
  },
  existingTx?: Tx,
) {
  const id = randomUUID();
  const write = async (tx: Tx) => {
    const promise = await tx.promiseRecord.create({
      data: {
        id,
        workflowId: promiseWorkflowId(id),
        ...promiseColumns(input.content),
        settings: input.settings as unknown as Prisma.InputJsonValue,
        currentVersionNumber: 1,
        coordinatorId: input.coordinatorId,
        predecessorId: input.renewalOf?.predecessorId,
      },
    });
    const version = await insertVersion(tx, id, 1, input.content, input.actor, input.renewalOf?.carriedOver);
    await recordAudit(tx, {
      promiseId: id,
      actor: input.actor,
      action: 'PROMISE_CREATED',
      details: { versionNumber: 1, sha256: version.sha256, ...(input.renewalOf ? { predecessorId: input.renewalOf.predecessorId } : {}) },
    });
    return { promise, version };
  };
  return existingTx ? write(existingTx) : db.$transaction(write);
}

/** Locks the promise row for the rest of the transaction, so status checks and writes are one step. */
export async function lockPromise(tx: Tx, promiseId: string) {
  const rows = await tx.$queryRaw<{ status: PromiseStatus; currentVersionNumber: number }[]>`
    SELECT status, "currentVersionNumber" FROM "Promise" WHERE id = ${promiseId} FOR UPDATE`;
  const row = rows[0];
  if (!row) throw new DomainError('NOT_FOUND', `Löftet ${promiseId} finns inte.`);
  return row;
}

/**
 * Appends the next version. In DRAFT the API calls this directly; while SIGNING the workflow does,
 * through an activity, passing the number it expects so that a retry finds the version it wrote.
 */
export async function appendVersion(
  db: Database,
  input: { promiseId: string; content: PromiseContent; actor: Actor; allowedStatus: PromiseStatus; number?: number },
) {
  return db.$transaction(async (tx) => {
    const locked = await lockPromise(tx, input.promiseId);
    if (input.number !== undefined && locked.currentVersionNumber >= input.number) {
      const existing = await tx.documentVersion.findUniqueOrThrow({
        where: { promiseId_number: { promiseId: input.promiseId, number: input.number } },
      });
      if (existing.canonicalText !== canonicalTextOf(input.content)) {
        throw new DomainError('CONFLICT', `Version ${input.number} finns redan med annat innehåll.`);
      }
      return { ...existing, unchanged: false };
    }
    if (locked.status !== input.allowedStatus) {
      throw new DomainError(
        'CONFLICT',
        `Texten kan inte ändras här när löftet har status ${STATUS_LABELS_SV[locked.status]} (${locked.status}).`,
      );
    }
    // The same content saved again is no new version: nobody should be asked to sign "version 2" of an unchanged text.
    const current = await tx.documentVersion.findUniqueOrThrow({
      where: { promiseId_number: { promiseId: input.promiseId, number: locked.currentVersionNumber } },
    });
    if (sameContent(current.content, input.content)) return { ...current, unchanged: true };
    const number = locked.currentVersionNumber + 1;
    const version = await insertVersion(tx, input.promiseId, number, input.content, input.actor);
    await tx.promiseRecord.update({
      where: { id: input.promiseId },
      data: { ...promiseColumns(input.content), currentVersionNumber: number },
    });
    await recordAudit(tx, {
      promiseId: input.promiseId,
      actor: input.actor,
      action: 'VERSION_CREATED',
      details: { versionNumber: number, sha256: version.sha256 },
      idempotencyKey: `version:${input.promiseId}:${number}`,
    });
    return { ...version, unchanged: false };
  });
}

export async function updateSettings(db: Database, promiseId: string, settings: PromiseSettings, actor: Actor) {
  return db.$transaction(async (tx) => {
    const locked = await lockPromise(tx, promiseId);
    if (locked.status !== 'DRAFT') {
      throw new DomainError('CONFLICT', 'Inställningarna kan bara ändras medan löftet är ett utkast.');
    }
    await tx.promiseRecord.update({
      where: { id: promiseId },
      data: { settings: settings as unknown as Prisma.InputJsonValue },
    });
    await recordAudit(tx, { promiseId, actor, action: 'SETTINGS_CHANGED', details: settings as never });
  });
}

/** The workflow says a step failed for good: the promise shows it until it is resumed or withdrawn. */
export async function recordAttention(db: Database, input: { promiseId: string; reason: string; since: Date }) {
  await db.$transaction(async (tx) => {
    await tx.promiseRecord.update({ where: { id: input.promiseId }, data: { attentionReason: input.reason, attentionSince: input.since } });
    await recordAudit(tx, {
      promiseId: input.promiseId,
      actor: { kind: 'SYSTEM', id: 'workflow' },
      action: 'NEEDS_ATTENTION',
      details: { reason: input.reason },
      idempotencyKey: `attention:${input.promiseId}:${input.since.getTime()}`,
    });
  });
}

export async function clearAttention(db: Database, input: { promiseId: string; since: Date; actor: Actor }) {
  await db.$transaction(async (tx) => {
    await tx.promiseRecord.update({ where: { id: input.promiseId }, data: { attentionReason: null, attentionSince: null } });
    await recordAudit(tx, {
      promiseId: input.promiseId,
      actor: input.actor,
      action: 'RESUMED',
      details: {},
      idempotencyKey: `resumed:${input.promiseId}:${input.since.getTime()}`,
    });
  });
}

/** The promises a coordinator may see and run (store/organisations.ts), most recent first. */
export const promisesOf = async (db: Database, coordinatorId: string) =>
  db.promiseRecord.findMany({ where: await promisesVisibleTo(db, coordinatorId), orderBy: { createdAt: 'desc' } });

/** A promise, if the coordinator may see and run it. */
export const findPromiseOf = async (db: Database, coordinatorId: string, id: string) =>
  db.promiseRecord.findFirst({ where: { AND: [{ id }, await promisesVisibleTo(db, coordinatorId)] } });

/** A promise with its current version and its latest signing round, signatories and signatures included. */
export const promiseWithLatestRound = (db: Database, id: string) =>
  db.promiseRecord.findUniqueOrThrow({
    where: { id },
    include: {
      versions: { orderBy: { number: 'desc' }, take: 1 },
      signingRounds: {
        orderBy: { number: 'desc' },
        take: 1,
        include: { requests: { include: { signatory: { include: { party: true } }, signature: true } } },
      },
    },
  });

/** A promise's current version, with its signatories and their parties. */
export const currentVersionOf = (db: Database, promise: { id: string; currentVersionNumber: number }) =>
  db.documentVersion.findUniqueOrThrow({
    where: { promiseId_number: { promiseId: promise.id, number: promise.currentVersionNumber } },
    include: { signatories: { include: { party: true } } },
  });

/** A promise record's period as dates. */
export const periodOf = (promise: { periodStart: Date; periodEnd: Date }) => ({
  start: utcDateOf(promise.periodStart),
  end: utcDateOf(promise.periodEnd),
});

/** What the promise's workflow lists it by in Temporal (domain/search-attributes.ts). */
export const listingOf = (promise: { municipality: string; policeArea: string | null; periodEnd: Date }): PromiseListing => ({
  municipality: promise.municipality,
  ...(promise.policeArea ? { policeArea: promise.policeArea } : {}),
  periodEnd: utcDateOf(promise.periodEnd),
});

export const promiseWithCoordinator = (db: Database, id: string) =>
  db.promiseRecord.findUniqueOrThrow({ where: { id }, include: { coordinator: true } });

/** What a page or an e-mail needs of a promise to say who asks: to be read along with the promise. */
export const SENDER_SELECT = {
  title: true,
  municipality: true,
  policeArea: true,
  coordinator: {
    select: { name: true, email: true, phone: true, memberships: { select: { organisation: { select: { kind: true, name: true } } } } },
  },
} as const;

/** Whom a promise's e-mails and link pages name as asking: its coordinator, and the organisation they act for. */
export function senderFrom(promise: Prisma.PromiseRecordGetPayload<{ select: typeof SENDER_SELECT }>) {
  const { memberships, ...coordinator } = promise.coordinator;
  const organisation = actingOrganisation(
    memberships.map((m) => m.organisation),
    promise,
  );
  return { promiseTitle: promise.title, coordinator, organisation: organisation && organisationInWords(organisation) };
}

/** The same, read on its own (the outbox, for each e-mail). */
export async function senderOf(db: Database, promiseId: string) {
  return senderFrom(await db.promiseRecord.findUniqueOrThrow({ where: { id: promiseId }, select: SENDER_SELECT }));
}
export type Sender = ReturnType<typeof senderFrom>;

/** Moves the promise's recorded status (ending any wait for attention), with its audit event, once per key. */
export async function recordStatus(
  db: Database,
  input: { promiseId: string; status: PromiseStatus; reason?: string; action: AuditAction; actor: Actor; key: string },
) {
  await db.$transaction(async (tx) => {
    await tx.promiseRecord.update({
      where: { id: input.promiseId },
      data: { status: input.status, statusReason: input.reason ?? null, attentionReason: null, attentionSince: null },
    });
    await recordAudit(tx, {
      promiseId: input.promiseId,
      actor: input.actor,
      action: input.action,
      details: { status: input.status, ...(input.reason ? { reason: input.reason } : {}) },
      idempotencyKey: input.key,
    });
  });
}

/** Every version of a promise's text with its fingerprint, the newest first. */
export const versionsOf = (db: Database, promiseId: string) =>
  db.documentVersion.findMany({
    where: { promiseId },
    select: { number: true, sha256: true, createdAt: true },
    orderBy: { number: 'desc' },
  });

/** The renewal that followed a promise, if any. */
export const renewalOf = (db: Database, promiseId: string) => db.promiseRecord.findUnique({ where: { predecessorId: promiseId } });
