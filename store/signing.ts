import type { Prisma } from '@prisma/client';
import type { Actor } from '../domain/actor';
import { utcDateOf } from '../domain/calendar';
import { sha256Hex } from '../domain/crypto';
import { DomainError } from '../domain/errors';
import { signingRoundWorkflowId } from '../domain/identifiers';
import { transitionRefusal } from '../domain/lifecycle';
import { periodEndedRefusal } from '../domain/schedule';
import { PromiseSettingsSchema, type SigningSettings } from '../domain/settings';
import { recordAudit } from './audit';
import type { Database } from './database';
import { lockPromise, SENDER_SELECT } from './promises';

export interface RoundPlan {
  roundId: string;
  roundNumber: number;
  workflowId: string;
  versionNumber: number;
  documentSha256: string;
  settings: SigningSettings;
  requests: { requestId: string; signatoryName: string; group: number }[];
  /** Decisions already recorded, so that a round run again (after a fault) carries on from them. */
  decided?: Record<string, 'SIGNED' | 'DECLINED'>;
  /** The reason of a decline among them. */
  declineReason?: string;
}

const roundInclude = { version: true, requests: { include: { signatory: true, signature: true } } } as const;
type RoundWithRequests = Prisma.SigningRoundGetPayload<{ include: typeof roundInclude }>;

/** What a round's workflow needs to know, from its records. */
export function planOf(round: RoundWithRequests, settings: SigningSettings): RoundPlan {
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
      }))
      .sort((a, b) => a.group - b.group || a.signatoryName.localeCompare(b.signatoryName, 'sv')),
    decided: Object.fromEntries(
      round.requests.flatMap((request) =>
        request.signature && !request.signature.voidedAt ? [[request.id, request.signature.decision]] : [],
      ),
    ),
    ...(declined?.signature?.reason ? { declineReason: declined.signature.reason } : {}),
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
    return planOf(await tx.signingRound.findUniqueOrThrow({ where: { id: round.id }, include: roundInclude }), settings);
  });
}

/** Stores a signature or a decline. Idempotent: one decision per request, ever. */
export async function recordDecision(
  db: Database,
  input: { requestId: string; decision: 'SIGNED' | 'DECLINED'; reason?: string; documentSha256: string; actor: Actor },
) {
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
      },
    });
    await tx.signingRequest.update({ where: { id: request.id }, data: { status: input.decision } });
    await recordAudit(tx, {
      promiseId: request.round.promiseId,
      actor: input.actor,
      action: input.decision === 'SIGNED' ? 'SIGNED' : 'DECLINED',
      details: {
        roundNumber: request.round.number,
        signatory: request.signatory.name,
        sha256: input.documentSha256,
        ...(input.reason ? { reason: input.reason } : {}),
      },
    });
    return signature;
  });
}

export type RoundEnd = 'COMPLETED' | 'DECLINED' | 'EXPIRED' | 'SUPERSEDED' | 'WITHDRAWN';

/** Ends a round: its links stop working, and a superseded or withdrawn round's signatures are void. */
export async function closeRound(db: Database, input: { roundId: string; status: RoundEnd; reason?: string }) {
  await db.$transaction(async (tx) => {
    const round = await tx.signingRound.findUniqueOrThrow({ where: { id: input.roundId } });
    if (round.status !== 'OPEN') return;
    const now = new Date();
    await tx.signingRound.update({
      where: { id: round.id },
      data: { status: input.status, outcomeReason: input.reason, endedAt: now },
    });
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
  });
}

/** Everything the signing page needs, found from the raw token in the link. */
export async function findSigningAccess(db: Database, rawToken: string) {
  const token = await db.accessToken.findUnique({
    where: { tokenHash: sha256Hex(rawToken) },
    include: {
      signingRequest: {
        include: {
          signatory: { include: { party: true } },
          signature: true,
          round: {
            include: {
              version: true,
              // With whom to ask, so the page is one reading.
              promise: { include: { coordinator: SENDER_SELECT.coordinator } },
              // Who else signs and who has: names, titles and parties only (a link page shows no one's address).
              requests: {
                select: {
                  id: true,
                  signatory: { select: { name: true, title: true, signingGroup: true, party: { select: { name: true } } } },
                  signature: { select: { decision: true, decidedAt: true, voidedAt: true } },
                },
              },
            },
          },
        },
      },
    },
  });
  if (!token || token.purpose !== 'SIGN' || !token.signingRequest) return undefined;
  return { token, request: token.signingRequest };
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
