import type { Actor } from '../domain/actor';
import type { PromiseContent } from '../domain/content';
import type { PromiseStatus } from '../domain/lifecycle';
import { recordAudit } from '../store/audit';
import { appendVersion, clearAttention, recordAttention } from '../store/promises';
import { readPromiseRecords } from '../store/recovery';
import { beginRound, closeRound, recordDecision, type RoundEnd } from '../store/signing';
import { emails } from './email-templates';
import { withFailurePolicy } from './failures';
import { sendOnce, type OutboxDeps } from './outbox';
import { createYearActivities } from './year';

export interface ActivityDeps extends OutboxDeps {
  /** Where personal links point, e.g. https://medborgarloften.example.se */
  publicBaseUrl: string;
}

export type SigningEmailKind = 'REQUEST' | 'REMINDER' | 'DEADLINE_WARNING';
export type CoordinatorNotice = 'ESCALATION' | 'DECLINED' | 'EXPIRED';

/** Every activity, under the failure policy of activities/failures.ts. */
export function createActivities(deps: ActivityDeps) {
  return withFailurePolicy(activitiesOf(deps));
}

function activitiesOf(deps: ActivityDeps) {
  const { db, publicBaseUrl } = deps;
  const outbox = deps;

  async function loadRound(roundId: string) {
    return db.signingRound.findUniqueOrThrow({
      where: { id: roundId },
      include: {
        version: true,
        promise: { include: { coordinator: true } },
        requests: { include: { signatory: true, signature: true } },
      },
    });
  }

  const pendingNames = (round: Awaited<ReturnType<typeof loadRound>>) =>
    round.requests
      .filter((r) => r.status === 'PENDING' || r.status === 'WAITING')
      .map((r) => `${r.signatory.name}, ${r.signatory.title}`)
      .sort((a, b) => a.localeCompare(b, 'sv'));

  return {
    ...createYearActivities(deps),

    /** What a fresh run of the promise's workflow carries on from. */
    async readPromiseRecords(input: { promiseId: string }) {
      return readPromiseRecords(db, input.promiseId);
    },

    async recordAttention(input: { promiseId: string; reason: string; since: number }) {
      await recordAttention(db, { ...input, since: new Date(input.since) });
    },

    async clearAttention(input: { promiseId: string; since: number; actor: Actor }) {
      await clearAttention(db, { ...input, since: new Date(input.since) });
    },

    async beginSigningRound(input: { promiseId: string; roundNumber: number; actor: Actor; from: 'DRAFT' | 'SIGNING' }) {
      return beginRound(db, input);
    },

    async appendRevision(input: { promiseId: string; number: number; content: PromiseContent; actor: Actor }) {
      const version = await appendVersion(db, { ...input, allowedStatus: 'SIGNING' });
      return { versionNumber: version.number, sha256: version.sha256 };
    },

    async sendSigningEmail(input: { requestId: string; kind: SigningEmailKind; sequence: number; deadline: number }) {
      const request = await db.signingRequest.findUniqueOrThrow({
        where: { id: input.requestId },
        include: { signatory: true, round: { include: { version: true, promise: true } } },
      });
      const { round } = request;
      if (round.status !== 'OPEN' || !['WAITING', 'PENDING'].includes(request.status)) return 'SKIPPED';
      if (request.status === 'WAITING') {
        await db.signingRequest.update({ where: { id: request.id }, data: { status: 'PENDING', sentAt: new Date() } });
      }
      if (input.kind === 'REMINDER' && request.remindersSent < input.sequence) {
        await db.signingRequest.update({ where: { id: request.id }, data: { remindersSent: input.sequence } });
      }
      const deadline = new Date(input.deadline);
      return sendOnce(outbox, {
        idempotencyKey: `sign:${round.promiseId}:v${round.version.number}:r${round.number}:${request.signatoryId}:${input.kind}:${input.sequence}`,
        promiseId: round.promiseId,
        to: request.signatory.email,
        purpose: `SIGNING_${input.kind}`,
        link: { purpose: 'SIGN', signingRequestId: request.id, expiresAt: deadline },
        compose: (token) => {
          const context = {
            signatoryName: request.signatory.name,
            promiseTitle: round.promise.title,
            municipality: round.promise.municipality,
            versionNumber: round.version.number,
            documentSha256: round.version.sha256,
            deadline,
            link: `${publicBaseUrl}/sign/${token}`,
          };
          if (input.kind === 'REMINDER') return emails.signingReminder({ ...context, sequence: input.sequence });
          if (input.kind === 'DEADLINE_WARNING') return emails.deadlineWarning(context);
          return emails.signingRequest(context);
        },
      });
    },

    async recordDecision(input: {
      requestId: string;
      decision: 'SIGNED' | 'DECLINED';
      reason?: string;
      documentSha256: string;
      actor: Actor;
    }) {
      await recordDecision(db, input);
    },

    async closeSigningRound(input: { roundId: string; status: RoundEnd; reason?: string }) {
      await closeRound(db, input);
    },

    /** Moves the promise's recorded status; `key` makes the audit event once-only under retries. */
    async recordStatus(input: {
      promiseId: string;
      status: PromiseStatus;
      reason?: string;
      action: string;
      actor: Actor;
      key: string;
    }) {
      await db.$transaction(async (tx) => {
        await tx.promiseRecord.update({
          where: { id: input.promiseId },
          // A new status also ends any wait for attention.
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
    },

    async notifyCoordinator(input: { roundId: string; notice: CoordinatorNotice; deadline: number }) {
      const round = await loadRound(input.roundId);
      const { promise } = round;
      const compose = () => {
        if (input.notice === 'ESCALATION') {
          return emails.escalation({ promiseTitle: promise.title, pending: pendingNames(round), deadline: new Date(input.deadline) });
        }
        if (input.notice === 'EXPIRED') return emails.expired({ promiseTitle: promise.title, pending: pendingNames(round) });
        const declined = round.requests.find((r) => r.signature?.decision === 'DECLINED');
        return emails.declined({
          promiseTitle: promise.title,
          signatoryName: declined ? `${declined.signatory.name}, ${declined.signatory.title}` : 'En part',
          reason: declined?.signature?.reason ?? '(inget skäl angivet)',
        });
      };
      await sendOnce(outbox, {
        idempotencyKey: `coordinator:${promise.id}:r${round.number}:${input.notice}`,
        promiseId: promise.id,
        to: promise.coordinator.email,
        purpose: `COORDINATOR_${input.notice}`,
        compose,
      });
    },

    /** After a decline: tells the round's other signatories that it stopped. */
    async notifyRoundStopped(input: { roundId: string }) {
      const round = await loadRound(input.roundId);
      const { promise } = round;
      const decliner = round.requests.find((r) => r.signature?.decision === 'DECLINED');
      for (const request of round.requests.filter((r) => r !== decliner)) {
        await sendOnce(outbox, {
          idempotencyKey: `round-stopped:${promise.id}:r${round.number}:${request.signatoryId}`,
          promiseId: promise.id,
          to: request.signatory.email,
          purpose: 'SIGNING_ROUND_STOPPED',
          compose: () =>
            emails.roundStopped({
              recipientName: request.signatory.name,
              promiseTitle: promise.title,
              declinedBy: decliner ? `${decliner.signatory.name}, ${decliner.signatory.title}` : 'En part',
              hadSigned: request.signature?.decision === 'SIGNED',
            }),
        });
      }
    },

    /** Tells every signatory and the coordinator that the promise is signed and in force. */
    async sendActivationConfirmations(input: { roundId: string }) {
      const round = await loadRound(input.roundId);
      const { promise } = round;
      const signatories = round.requests.map((r) => r.signatory);
      const recipients = [
        ...signatories.map((s) => ({ name: s.name, email: s.email })),
        { name: promise.coordinator.name, email: promise.coordinator.email },
      ];
      for (const recipient of recipients) {
        await sendOnce(outbox, {
          idempotencyKey: `activated:${promise.id}:r${round.number}:${recipient.email.toLowerCase()}`,
          promiseId: promise.id,
          to: recipient.email,
          purpose: 'ACTIVATED',
          compose: () =>
            emails.activated({
              recipientName: recipient.name,
              promiseTitle: promise.title,
              signatories: signatories.map((s) => `${s.name}, ${s.title}`),
              documentSha256: round.version.sha256,
            }),
        });
      }
    },

    /** Tells the parties of the current version and the coordinator that the promise was withdrawn. */
    async notifyWithdrawal(input: { promiseId: string; reason: string }) {
      const promise = await db.promiseRecord.findUniqueOrThrow({
        where: { id: input.promiseId },
        include: { coordinator: true },
      });
      const version = await db.documentVersion.findUniqueOrThrow({
        where: { promiseId_number: { promiseId: promise.id, number: promise.currentVersionNumber } },
        include: { signatories: true },
      });
      const recipients = [
        ...version.signatories.map((s) => ({ name: s.name, email: s.email })),
        { name: promise.coordinator.name, email: promise.coordinator.email },
      ];
      for (const recipient of recipients) {
        await sendOnce(outbox, {
          idempotencyKey: `withdrawn:${promise.id}:${recipient.email.toLowerCase()}`,
          promiseId: promise.id,
          to: recipient.email,
          purpose: 'WITHDRAWN',
          compose: () => emails.withdrawn({ recipientName: recipient.name, promiseTitle: promise.title, reason: input.reason }),
        });
      }
    },
  };
}

export type Activities = ReturnType<typeof createActivities>;
