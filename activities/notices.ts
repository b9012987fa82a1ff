import type { EmailPurpose } from '../domain/email-purposes';
import { addressTag } from '../domain/crypto';
import { currentVersionOf, promiseWithCoordinator } from '../store/promises';
import { loadRoundWithPeople } from '../store/signing';
import type { ActivityDeps } from './index';
import { emails, type ComposedEmail } from './email-templates';
import { sendOnce, tryEach } from './outbox';
import { signatoryDescription, tellCoordinatorOfUndeliverable } from './undeliverable';

// Notices that go to several people at once: each is tried even when one fails (the activity then
// fails and is retried; those already sent are found in the outbox), and a bounced address is
// recorded and told to the coordinator, never retried.

export type CoordinatorNotice = 'ESCALATION' | 'DECLINED' | 'EXPIRED';

interface Recipient {
  name: string;
  email: string;
  /** How the coordinator knows them, for a bounce notice; absent for the coordinator. */
  who?: string;
}

export function createNoticeActivities(deps: ActivityDeps) {
  const { db } = deps;

  const loadRound = (roundId: string) => loadRoundWithPeople(db, roundId);
  type LoadedRound = Awaited<ReturnType<typeof loadRound>>;

  const signatoryRecipient = (signatory: LoadedRound['requests'][number]['signatory']): Recipient => ({
    name: signatory.name,
    email: signatory.email,
    who: signatoryDescription(signatory),
  });

  /** Who has not answered; those whose request bounced are marked, so the coordinator sees why. */
  const pendingNames = (round: LoadedRound) =>
    round.requests
      .filter((r) => r.status === 'PENDING' || r.status === 'WAITING' || r.status === 'UNDELIVERABLE')
      .map((r) => `${r.signatory.name}, ${r.signatory.title}${r.status === 'UNDELIVERABLE' ? ' (e-posten kom inte fram)' : ''}`)
      .sort((a, b) => a.localeCompare(b, 'sv'));

  /** One notice per item, every one tried (tryEach). */
  async function toEach<T>(
    promiseId: string,
    items: T[],
    email: (item: T) => { to: Recipient; key: string; purpose: EmailPurpose; compose: () => ComposedEmail },
  ): Promise<void> {
    await tryEach(items, async (item) => {
      const { to, key, purpose, compose } = email(item);
      const result = await sendOnce(deps, { idempotencyKey: key, promiseId, to: to.email, toName: to.name, purpose, compose });
      if (result === 'UNDELIVERABLE' && to.who) {
        await tellCoordinatorOfUndeliverable(deps, {
          promiseId,
          address: to.email,
          who: to.who,
          effect: 'Ett besked till hen nådde inte fram; inget annat påverkas.',
        });
      }
    });
  }

  return {
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
      await toEach(promise.id, [promise.coordinator], (coordinator) => ({
        to: coordinator,
        key: `coordinator:${promise.id}:r${round.number}:${input.notice}`,
        purpose: `COORDINATOR_${input.notice}` as const,
        compose,
      }));
    },

    /** After a decline: tells the round's other signatories that it stopped. */
    async notifyRoundStopped(input: { roundId: string }) {
      const round = await loadRound(input.roundId);
      const { promise } = round;
      const decliner = round.requests.find((r) => r.signature?.decision === 'DECLINED');
      const others = round.requests.filter((r) => r !== decliner);
      await toEach(promise.id, others, (request) => ({
        to: signatoryRecipient(request.signatory),
        key: `round-stopped:${promise.id}:r${round.number}:${request.signatoryId}`,
        purpose: 'SIGNING_ROUND_STOPPED',
        compose: () =>
          emails.roundStopped({
            recipientName: request.signatory.name,
            promiseTitle: promise.title,
            declinedBy: decliner ? `${decliner.signatory.name}, ${decliner.signatory.title}` : 'En part',
            hadSigned: request.signature?.decision === 'SIGNED',
          }),
      }));
    },

    /** Tells every signatory and the coordinator that the promise is signed and in force. */
    async sendActivationConfirmations(input: { roundId: string }) {
      const round = await loadRound(input.roundId);
      const { promise } = round;
      const signatories = round.requests.map((r) => r.signatory);
      await toEach(promise.id, [...signatories.map(signatoryRecipient), promise.coordinator], (recipient) => ({
        to: recipient,
        key: `activated:${promise.id}:r${round.number}:${addressTag(deps.linkSecret, recipient.email)}`,
        purpose: 'ACTIVATED',
        compose: () =>
          emails.activated({
            recipientName: recipient.name,
            promiseTitle: promise.title,
            // In a fixed order: a copy sent again after a crash must read the same, whatever order the rows come in.
            signatories: signatories.map((s) => `${s.name}, ${s.title}`).sort((a, b) => a.localeCompare(b, 'sv')),
            documentSha256: round.version.sha256,
            publicPage: `${deps.publicBaseUrl}/loften/${promise.id}`,
            signedPdf: `${deps.publicBaseUrl}/loften/${promise.id}/loftet.pdf`,
          }),
      }));
    },

    /** Tells the parties of the current version and the coordinator that the promise was withdrawn. */
    async notifyWithdrawal(input: { promiseId: string; reason: string }) {
      const promise = await promiseWithCoordinator(db, input.promiseId);
      const version = await currentVersionOf(db, promise);
      await toEach(promise.id, [...version.signatories.map(signatoryRecipient), promise.coordinator], (recipient) => ({
        to: recipient,
        key: `withdrawn:${promise.id}:${addressTag(deps.linkSecret, recipient.email)}`,
        purpose: 'WITHDRAWN',
        compose: () => emails.withdrawn({ recipientName: recipient.name, promiseTitle: promise.title, reason: input.reason }),
      }));
    },
  };
}
