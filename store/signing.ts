import type { Prisma, PromiseStatus, SignatureDecision, SigningMethod, SigningRoundStatus } from '../prisma/generated/client';
import type { Actor } from '../domain/actor';
import { utcDateOf } from '../domain/calendar';
import { sha256Hex } from '../domain/crypto';
import { DomainError } from '../domain/errors';
import { signingRoundWorkflowId } from '../domain/identifiers';
import { transitionRefusal } from '../domain/lifecycle';
import { periodEndedRefusal } from '../domain/schedule';
import { roundDeadline } from '../domain/signing-timeline';
import { storedContent } from '../domain/stored-content';
import type { PromiseListing } from '../domain/search-attributes';
import { PromiseSettingsSchema, type SigningSettings } from '../domain/settings';
import { recordAudit } from './audit';
import { deletePins } from './pins';
import type { Database } from './database';
import { listingOf, lockPromise, SENDER_SELECT } from './promises';

export interface RoundPlan {
  roundId: string;
  roundNumber: number;
  workflowId: string;
  versionNumber: number;
  documentSha256: string;
  settings: SigningSettings;
  /** `method`: absent for the e-mailed link (and in plans recorded before BankID). */
  requests: { requestId: string; signatoryName: string; group: number; method?: 'BANKID' }[];
  /** Decisions already recorded, so that a round run again (after a fault) carries on from them. */
  decided?: Record<string, 'SIGNED' | 'DECLINED'>;
  /** The reason of a decline among them. */
  declineReason?: string;
  /** What the promise is listed by in Temporal; absent from plans recorded before search attributes. */
  listing?: PromiseListing;
  /** The deadline the coordinator moved it to, for a round run again after a fault; absent: as the settings give it. */
  deadline?: number;
  /** The last day of the promise's period: a deadline is never moved past it. Absent from older plans. */
  periodEnd?: string;
}

const roundInclude = { version: true, requests: { include: { signatory: true, signature: true } } } as const;
type RoundWithRequests = Prisma.SigningRoundGetPayload<{ include: typeof roundInclude }>;

/** What a round's workflow needs to know, from its records. */
export function planOf(round: RoundWithRequests, settings: SigningSettings, listing: PromiseListing): RoundPlan {
  const declined = round.requests.find((request) => request.signature?.decision === 'DECLINED' && !request.signature.voidedAt);
  return {
    roundId: round.id,
    roundNumber: round.number,
    workflowId: round.workflowId,
    versionNumber: round.version.number,
    documentSha256: round.version.sha256,
    settings,
    requests: round.requests
      .map((request) => ({
        requestId: request.id,
        signatoryName: request.signatory.name,
        group: settings.order === 'GROUPED' ? request.signatory.signingGroup : 1,
        ...(request.signatory.signingMethod === 'BANKID' ? { method: 'BANKID' as const } : {}),
      }))
      .sort((a, b) => a.group - b.group || a.signatoryName.localeCompare(b.signatoryName, 'sv')),
    decided: Object.fromEntries(
      round.requests.flatMap((request) =>
        request.signature && !request.signature.voidedAt ? [[request.id, request.signature.decision]] : [],
      ),
    ),
    ...(declined?.signature?.reason ? { declineReason: declined.signature.reason } : {}),
    listing,
    ...(round.deadline ? { deadline: round.deadline.getTime() } : {}),
    periodEnd: storedContent(round.version.content).period.end,
  };
}

/**
 * Opens signing round `roundNumber` on the current version: the promise becomes SIGNING and every
 * signatory gets a request (not yet sent). Idempotent: a retry returns the round it created.
 */
export async function beginRound(
  db: Database,
  input: { promiseId: string; roundNumber: number; actor: Actor; from: 'DRAFT' | 'SIGNING' },
): Promise<RoundPlan> {
  return db.$transaction(async (tx) => {
    const locked = await lockPromise(tx, input.promiseId);
    let round = await tx.signingRound.findUnique({
      where: { promiseId_number: { promiseId: input.promiseId, number: input.roundNumber } },
    });
    const promise = await tx.promiseRecord.findUniqueOrThrow({ where: { id: input.promiseId } });
    const settings = PromiseSettingsSchema.parse(promise.settings).signing;
    if (!round) {
      if (locked.status !== input.from) throw new DomainError('CONFLICT', transitionRefusal(locked.status, 'SUBMIT'));
      const ended = periodEndedRefusal({ start: utcDateOf(promise.periodStart), end: utcDateOf(promise.periodEnd) }, Date.now());
      if (ended) throw new DomainError('CONFLICT', ended);
      const version = await tx.documentVersion.findUniqueOrThrow({
        where: { promiseId_number: { promiseId: input.promiseId, number: locked.currentVersionNumber } },
        include: { signatories: true },
      });
      round = await tx.signingRound.create({
        data: {
          promiseId: input.promiseId,
          versionId: version.id,
          number: input.roundNumber,
          workflowId: signingRoundWorkflowId(input.promiseId, input.roundNumber),
          order: settings.order,
        },
      });
      await tx.signingRequest.createMany({
        data: version.signatories.map((signatory) => ({ roundId: round!.id, signatoryId: signatory.id })),
      });
      await tx.promiseRecord.update({
        where: { id: input.promiseId },
        data: { status: 'SIGNING', statusReason: null },
      });
      await recordAudit(tx, {
        promiseId: input.promiseId,
        actor: input.actor,
        action: 'SIGNING_ROUND_STARTED',
        details: { roundNumber: input.roundNumber, versionNumber: version.number, sha256: version.sha256 },
      });
    }
    const withRequests = await tx.signingRound.findUniqueOrThrow({ where: { id: round.id }, include: roundInclude });
    return planOf(withRequests, settings, listingOf(promise));
  });
}

/** Stores a signature or a decline. Idempotent: one decision per request, ever. */
export interface DecisionRecord {
  requestId: string;
  decision: 'SIGNED' | 'DECLINED';
  reason?: string;
  documentSha256: string;
  actor: Actor;
  /** A BankID signature: the order whose evidence it is, and the coordinator who accepted it when BankID's name differed. */
  bankId?: { orderId: string; acceptedBy?: string };
}

export async function recordDecision(db: Database, input: DecisionRecord) {
  return db.$transaction(async (tx) => {
    const request = await tx.signingRequest.findUniqueOrThrow({
      where: { id: input.requestId },
      include: { round: true, signature: true, signatory: true },
    });
    if (request.signature) return request.signature;
    const signature = await tx.signature.create({
      data: {
        requestId: request.id,
        documentSha256: input.documentSha256,
        decision: input.decision,
        reason: input.reason,
        ipAddress: input.actor.ipAddress,
        userAgent: input.actor.userAgent,
        ...(input.bankId ? { method: 'BANKID' as const, bankIdOrderId: input.bankId.orderId } : {}),
      },
    });
    await tx.signingRequest.update({ where: { id: request.id }, data: { status: input.decision } });
    // A held BankID signature the coordinator accepted waits no longer.
    if (input.bankId)
      await tx.bankIdOrder.updateMany({ where: { id: input.bankId.orderId, status: 'HELD' }, data: { status: 'COMPLETE' } });
    await recordAudit(tx, {
      promiseId: request.round.promiseId,
      actor: input.actor,
      action: input.decision === 'SIGNED' ? 'SIGNED' : 'DECLINED',
      details: {
        roundNumber: request.round.number,
        signatory: request.signatory.name,
        sha256: input.documentSha256,
        ...(input.reason ? { reason: input.reason } : {}),
        ...(input.bankId ? { method: 'BANKID', bankIdOrderId: input.bankId.orderId } : {}),
        ...(input.bankId?.acceptedBy ? { acceptedBy: input.bankId.acceptedBy } : {}),
      },
    });
    return signature;
  });
}

export type RoundEnd = 'COMPLETED' | 'DECLINED' | 'EXPIRED' | 'SUPERSEDED' | 'WITHDRAWN';

/** Ends a round: its links stop working, and a superseded or withdrawn round's signatures are void. */
export async function closeRound(
  db: Database,
  input: { roundId: string; status: RoundEnd; reason?: string },
): Promise<{ promiseId: string; number: number; startedAt: Date; endedAt: Date } | undefined> {
  return db.$transaction(async (tx) => {
    const round = await tx.signingRound.findUniqueOrThrow({ where: { id: input.roundId } });
    if (round.status !== 'OPEN') return undefined;
    const now = new Date();
    await tx.signingRound.update({
      where: { id: round.id },
      data: { status: input.status, outcomeReason: input.reason, endedAt: now },
    });
    // Signed by all or withdrawn, no one signs this promise with a locked number again.
    if (input.status === 'COMPLETED' || input.status === 'WITHDRAWN') await deletePins(tx, round.promiseId);
    if (input.status === 'SUPERSEDED' || input.status === 'WITHDRAWN') {
      await tx.signature.updateMany({ where: { request: { roundId: round.id }, voidedAt: null }, data: { voidedAt: now } });
      await tx.signingRequest.updateMany({ where: { roundId: round.id }, data: { status: 'VOIDED' } });
    }
    await tx.accessToken.updateMany({
      where: { signingRequest: { roundId: round.id }, revokedAt: null },
      data: { revokedAt: now },
    });
    await recordAudit(tx, {
      promiseId: round.promiseId,
      actor: { kind: 'SYSTEM', id: 'workflow' },
      action: `SIGNING_ROUND_${input.status}`,
      details: { roundNumber: round.number, ...(input.reason ? { reason: input.reason } : {}) },
    });
    return { promiseId: round.promiseId, number: round.number, startedAt: round.startedAt, endedAt: now };
  });
}

/** A signing promise's open round with its deadline as it stands, or undefined. */
export async function openRoundOf(db: Database, promiseId: string) {
  const round = await db.signingRound.findFirst({ where: { promiseId, status: 'OPEN' }, include: { promise: true } });
  if (!round) return undefined;
  const settings = PromiseSettingsSchema.parse(round.promise.settings).signing;
  return { workflowId: round.workflowId, deadline: roundDeadline(round, settings) };
}

/**
 * An open round's deadline moved later: on record, audited, and every link of a request still
 * waiting for an answer kept working until the new deadline. Idempotent: the same move twice is one.
 */
export async function moveRoundDeadline(db: Database, input: { roundId: string; from: number; to: number; actor: Actor }) {
  return db.$transaction(async (tx) => {
    const round = await tx.signingRound.findUniqueOrThrow({ where: { id: input.roundId } });
    if (round.status !== 'OPEN' || round.deadline?.getTime() === input.to) return;
    const to = new Date(input.to);
    await tx.signingRound.update({ where: { id: round.id }, data: { deadline: to } });
    await tx.accessToken.updateMany({
      where: { signingRequest: { roundId: round.id, signature: null }, purpose: 'SIGN', revokedAt: null, expiresAt: { lt: to } },
      data: { expiresAt: to },
    });
    await recordAudit(tx, {
      promiseId: round.promiseId,
      actor: input.actor,
      action: 'SIGNING_DEADLINE_MOVED',
      details: { roundNumber: round.number, from: new Date(input.from).toISOString(), to: to.toISOString() },
    });
  });
}

/** What a signing link opens: its request, the signatory, the round with its text, and everyone's progress. */
export interface SigningAccess {
  token: { expiresAt: Date; revokedAt: Date | null };
  request: {
    id: string;
    signatoryId: string;
    signatory: { key: string; name: string; title: string; signingMethod: SigningMethod; party: { name: string } };
    signature: {
      decision: SignatureDecision;
      decidedAt: Date;
      voidedAt: Date | null;
      documentSha256: string;
      method: SigningMethod;
    } | null;
    round: {
      promiseId: string;
      workflowId: string;
      status: SigningRoundStatus;
      outcomeReason: string | null;
      version: { number: number; sha256: string; canonicalText: string; content: Prisma.JsonValue };
      promise: Prisma.PromiseRecordGetPayload<{ select: typeof SENDER_SELECT }> & {
        status: PromiseStatus;
        currentVersionNumber: number;
      };
      /** Who else signs and who has: names, titles and parties only (a link page shows no one's address). */
      requests: {
        id: string;
        signatory: { name: string; title: string; signingGroup: number; party: { name: string } };
        signature: { decision: SignatureDecision; decidedAt: Date; voidedAt: Date | null } | null;
      }[];
    };
  };
}

/** PostgreSQL's JSON writes a timestamp without its zone; they are all stored in UTC. */
const utc = (at: string): Date => new Date(`${at}Z`);
const utcOrNull = (at: string | null): Date | null => (at === null ? null : utc(at));

/**
 * Everything the signing page needs, found from the raw token in the link, in one SQL statement.
 * Written by hand because this is the page every signatory opens: through Prisma the same reading
 * cost about 5 ms of CPU to compile per call against 0.6 ms (README, Prestanda).
 */
export async function findSigningAccess(db: Database, rawToken: string): Promise<SigningAccess | undefined> {
  const rows = await db.$queryRaw<{ access: SigningAccess }[]>`
    SELECT json_build_object(
      'token', json_build_object('expiresAt', t."expiresAt", 'revokedAt', t."revokedAt"),
      'request', json_build_object(
        'id', r.id,
        'signatoryId', r."signatoryId",
        'signatory', json_build_object('key', s.key, 'name', s.name, 'title', s.title, 'signingMethod', s."signingMethod",
                                       'party', json_build_object('name', p.name)),
        'signature', (
          SELECT json_build_object('decision', g.decision, 'decidedAt', g."decidedAt", 'voidedAt', g."voidedAt",
                                   'documentSha256', g."documentSha256", 'method', g.method)
          FROM "Signature" g WHERE g."requestId" = r.id),
        'round', json_build_object(
          'promiseId', o."promiseId",
          'workflowId', o."workflowId",
          'status', o.status,
          'outcomeReason', o."outcomeReason",
          'version', json_build_object('number', v.number, 'sha256', v.sha256, 'canonicalText', v."canonicalText",
                                       'content', v.content),
          'promise', json_build_object(
            'status', pr.status, 'currentVersionNumber', pr."currentVersionNumber", 'title', pr.title,
            'municipality', pr.municipality, 'policeArea', pr."policeArea",
            'coordinator', json_build_object(
              'name', c.name, 'email', c.email, 'phone', c.phone,
              'memberships', COALESCE((
                SELECT json_agg(json_build_object('organisation', json_build_object('kind', org.kind, 'name', org.name)))
                FROM "OrganisationMember" m JOIN "Organisation" org ON org.id = m."organisationId"
                WHERE m."coordinatorId" = c.id), '[]'::json))),
          'requests', COALESCE((
            SELECT json_agg(json_build_object(
              'id', rr.id,
              'signatory', json_build_object('name', ss.name, 'title', ss.title, 'signingGroup', ss."signingGroup",
                                             'party', json_build_object('name', pp.name)),
              'signature', (SELECT json_build_object('decision', gg.decision, 'decidedAt', gg."decidedAt", 'voidedAt', gg."voidedAt")
                            FROM "Signature" gg WHERE gg."requestId" = rr.id)))
            FROM "SigningRequest" rr
            JOIN "Signatory" ss ON ss.id = rr."signatoryId"
            JOIN "Party" pp ON pp.id = ss."partyId"
            WHERE rr."roundId" = o.id), '[]'::json)))) AS access
    FROM "AccessToken" t
    JOIN "SigningRequest" r ON r.id = t."signingRequestId"
    JOIN "Signatory" s ON s.id = r."signatoryId"
    JOIN "Party" p ON p.id = s."partyId"
    JOIN "SigningRound" o ON o.id = r."roundId"
    JOIN "DocumentVersion" v ON v.id = o."versionId"
    JOIN "Promise" pr ON pr.id = o."promiseId"
    JOIN "Coordinator" c ON c.id = pr."coordinatorId"
    WHERE t."tokenHash" = ${sha256Hex(rawToken)} AND t.purpose = 'SIGN'`;
  const access = rows[0]?.access;
  if (!access) return undefined;
  const { token, request } = access as unknown as { token: Record<string, string | null>; request: SigningAccess['request'] };
  const signatureAt = <T extends { decidedAt: Date; voidedAt: Date | null }>(signature: T | null): T | null =>
    signature && {
      ...signature,
      decidedAt: utc(signature.decidedAt as unknown as string),
      voidedAt: utcOrNull(signature.voidedAt as unknown as string | null),
    };
  return {
    token: { expiresAt: utc(token.expiresAt!), revokedAt: utcOrNull(token.revokedAt ?? null) },
    request: {
      ...request,
      signature: signatureAt(request.signature),
      round: { ...request.round, requests: request.round.requests.map((r) => ({ ...r, signature: signatureAt(r.signature) })) },
    },
  };
}

/** The round before this one, with its version (a revision supersedes it). */
export const previousRound = (db: Database, round: { promiseId: string; number: number }) =>
  db.signingRound.findUnique({
    where: { promiseId_number: { promiseId: round.promiseId, number: round.number - 1 } },
    include: { version: true },
  });

/** A signing request with what its e-mail names: the signatory, the party, the version and the promise. */
export const loadSigningRequest = (db: Database, id: string) =>
  db.signingRequest.findUniqueOrThrow({
    where: { id },
    include: { signatory: { include: { party: true } }, round: { include: { version: true, promise: true } } },
  });

/** A round with its promise, coordinator, version, and every request with its signatory and signature. */
export const loadRoundWithPeople = (db: Database, roundId: string) =>
  db.signingRound.findUniqueOrThrow({
    where: { id: roundId },
    include: {
      version: true,
      promise: { include: { coordinator: true } },
      requests: { include: { signatory: { include: { party: true } }, signature: true } },
    },
  });

type RequestDelivery = 'SENT' | 'UNDELIVERABLE' | 'DELIVERABLE_AGAIN';

/** What sending did to a request: its first e-mail went out, the relay refused it, or a new address works. */
export async function recordRequestDelivery(db: Database, requestId: string, delivery: RequestDelivery) {
  const status = delivery === 'UNDELIVERABLE' ? 'UNDELIVERABLE' : 'PENDING';
  await db.signingRequest.update({ where: { id: requestId }, data: { status, ...(delivery === 'SENT' ? { sentAt: new Date() } : {}) } });
}

export async function recordRemindersSent(db: Database, requestId: string, count: number) {
  await db.signingRequest.update({ where: { id: requestId }, data: { remindersSent: count } });
}

/** A promise's open requests to this address that still wait for an answer, with the latest link each got. */
/** Requests of the promise's open round that wait for an answer (sent, or bounced), with their latest link. */
const waitingRequests = (db: Database, promiseId: string, which: Prisma.SigningRequestWhereInput) =>
  db.signingRequest.findMany({
    where: { round: { promiseId, status: 'OPEN' }, status: { in: ['PENDING', 'UNDELIVERABLE'] }, ...which },
    include: { tokens: { orderBy: { createdAt: 'desc' }, take: 1 }, signatory: true },
  });

export const waitingRequestsTo = (db: Database, promiseId: string, email: string) =>
  waitingRequests(db, promiseId, { signatory: { email: { equals: email, mode: 'insensitive' } } });

/** One request of the promise's open round, if it still waits for an answer. */
export const waitingRequest = async (db: Database, promiseId: string, requestId: string) =>
  (await waitingRequests(db, promiseId, { id: requestId }))[0];
