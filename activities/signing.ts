import type { Actor } from '../domain/actor';
import type { PromiseContent } from '../domain/content';
import { appendVersion } from '../store/promises';
import { abandonIfPending } from '../store/outbox';
import {
  beginRound,
  closeRound,
  loadSigningRequest,
  previousRound,
  moveRoundDeadline,
  recordDecision,
  recordRemindersSent,
  recordRequestDelivery,
  type DecisionRecord,
  type RoundEnd,
} from '../store/signing';
import { emails } from './email-templates';
import type { ActivityDeps } from './index';
import { sendOnce } from './outbox';
import { addressTag } from '../domain/crypto';
import { signingRequestUndeliverable } from './undeliverable';

// A signing round's side effects: its records, and the personal requests with their links.

/** RESEND: the request again, to an address the coordinator corrected. */
export type SigningEmailKind = 'REQUEST' | 'REMINDER' | 'DEADLINE_WARNING' | 'DEADLINE_MOVED' | 'RESEND';

export function createSigningActivities(deps: ActivityDeps) {
  const { db, publicBaseUrl } = deps;

  /** The version a new round replaced, when this round follows a revision. */
  async function replacedVersion(round: { promiseId: string; number: number }): Promise<number | undefined> {
    const previous = await previousRound(db, round);
    return previous?.status === 'SUPERSEDED' ? previous.version.number : undefined;
  }

  return {
    async beginSigningRound(input: { promiseId: string; roundNumber: number; actor: Actor; from: 'DRAFT' | 'SIGNING' }) {
      const plan = await beginRound(db, input);
      // A first round moves the draft to SIGNING in the same transaction.
      if (input.from === 'DRAFT')
        deps.logger?.info({ promiseId: input.promiseId, status: 'SIGNING', action: 'SIGNING_ROUND_STARTED' }, 'status');
      deps.logger?.info({ promiseId: input.promiseId, round: plan.roundNumber, requests: plan.requests.length }, 'signeringsomgång öppnad');
      return plan;
    },

    async appendRevision(input: { promiseId: string; number: number; content: PromiseContent; actor: Actor }) {
      const version = await appendVersion(db, { ...input, allowedStatus: 'SIGNING' });
      return { versionNumber: version.number, sha256: version.sha256 };
    },

    /**
     * One personal e-mail of a round. A request that bounced is marked UNDELIVERABLE (no reminders
     * go to it) and the coordinator is told once; a RESEND goes to the corrected address.
     */
    async sendSigningEmail(input: {
      requestId: string;
      kind: SigningEmailKind;
      sequence: number;
      deadline: number;
      /** A resend the coordinator asked for: its id, so that each request to resend sends once. */
      askedFor?: string;
    }) {
      const request = await loadSigningRequest(db, input.requestId);
      const { round, signatory } = request;
      // A resend after a correction is one e-mail per address it goes to (correcting to the same
      // address twice sends once); one the coordinator asked for is one per asking.
      const resendKey = `RESEND:${addressTag(deps.linkSecret, signatory.email)}${input.askedFor ? `:${input.askedFor}` : ''}`;
      const kindKey = input.kind === 'RESEND' ? resendKey : `${input.kind}:${input.sequence}`;
      const idempotencyKey = `sign:${round.promiseId}:v${round.version.number}:r${round.number}:${request.signatoryId}:${kindKey}`;
      const sendable = input.kind === 'RESEND' ? ['PENDING', 'UNDELIVERABLE'] : ['WAITING', 'PENDING'];
      if (round.status !== 'OPEN' || !sendable.includes(request.status)) {
        await abandonIfPending(db, idempotencyKey);
        return 'SKIPPED';
      }
      if (request.status === 'WAITING') {
        await recordRequestDelivery(db, request.id, 'SENT');
      }
      if (input.kind === 'REMINDER' && request.remindersSent < input.sequence) {
        await recordRemindersSent(db, request.id, input.sequence);
      }
      const deadline = new Date(input.deadline);
      const revisedFrom = await replacedVersion(round);
      const result = await sendOnce(deps, {
        idempotencyKey,
        promiseId: round.promiseId,
        to: signatory.email,
        toName: signatory.name,
        purpose: `SIGNING_${input.kind}`,
        link: { purpose: 'SIGN', signingRequestId: request.id, expiresAt: deadline },
        compose: (token) => {
          const context = {
            signatoryName: signatory.name,
            promiseTitle: round.promise.title,
            municipality: round.promise.municipality,
            versionNumber: round.version.number,
            documentSha256: round.version.sha256,
            deadline,
            link: `${publicBaseUrl}/sign/${token}`,
            ...(revisedFrom === undefined ? {} : { revisedFrom }),
          };
          if (input.kind === 'REMINDER') return emails.signingReminder({ ...context, sequence: input.sequence });
          if (input.kind === 'DEADLINE_WARNING') return emails.deadlineWarning(context);
          if (input.kind === 'DEADLINE_MOVED') return emails.deadlineMoved(context);
          return emails.signingRequest({ ...context, resent: input.kind === 'RESEND' });
        },
      });
      if (result !== 'UNDELIVERABLE' && request.status === 'UNDELIVERABLE') {
        await recordRequestDelivery(db, request.id, 'DELIVERABLE_AGAIN');
      }
      if (result === 'UNDELIVERABLE') await signingRequestUndeliverable(deps, request);
      return result;
    },

    async recordDecision(input: DecisionRecord) {
      await recordDecision(db, input);
    },

    /** A round's deadline moved later by the coordinator (on record, audited, links kept working). */
    async moveSigningDeadline(input: { roundId: string; from: number; to: number; actor: Actor }) {
      await moveRoundDeadline(db, input);
    },

    /** Closes the round once; the close that did it is the one counted (a retry finds it closed). */
    async closeSigningRound(input: { roundId: string; status: RoundEnd; reason?: string }) {
      const closed = await closeRound(db, input);
      if (closed)
        deps.logger?.info({ promiseId: closed.promiseId, round: closed.number, outcome: input.status }, 'signeringsomgång avslutad');
      if (closed && deps.metrics) {
        const outcome = { outcome: input.status.toLowerCase() as Lowercase<RoundEnd> };
        deps.metrics.signingRounds.inc(outcome);
        deps.metrics.signingRoundDuration.observe(outcome, (closed.endedAt.getTime() - closed.startedAt.getTime()) / 1000);
      }
    },
  };
}
