import { Context, sleep } from '@temporalio/activity';
import { COLLECT_INTERVAL_MS, nameMatches, ORDER_LIFETIME_SECONDS, userVisibleText } from '../domain/bankid';
import { BankIdCallError, type BankIdClient } from '../platform/bankid-client';
import { completionOf, markComplete, markEnded, markHint, markStarted, orderSubject } from '../store/bankid-orders';
import type { Actor } from '../domain/actor';
import { recordAudit } from '../store/audit';
import { pinnedNumberOf } from '../store/pins';
import type { OutboxDeps } from './outbox';

// A BankID sign order's side effects (its workflow: workflows/bankid-order.ts). The order's record
// says how far it got, so each step done again after a crash finds its own work: a started order is
// not started twice, a collect loop resumes the same order, the evidence is sealed on record before
// anything is reported. BankID's own refusals are outcomes, not failures; only "unreachable, try
// again" is thrown, for the workflow's bounded retries.

export interface BankIdDeps extends OutboxDeps {
  /** The BankID client; absent where the installation has no BankID (README, "BankID"). */
  bankId?: { client: BankIdClient };
}

export type OrderOutcome = { status: 'complete' } | { status: 'failed'; hintCode?: string; errorCode?: string } | { status: 'cancelled' };

const base64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');

export function createBankIdActivities(deps: BankIdDeps) {
  const { db, linkSecret } = deps;
  const client = () => {
    if (!deps.bankId) throw new BankIdCallError('notConfigured', false, 'BankID är inte inställt i den här installationen.');
    return deps.bankId.client;
  };

  return {
    /** Starts the order at BankID once: a retry finds it started. `started: false` when BankID refused it for good. */
    async startBankIdOrder(input: { orderId: string; endUserIp: string }): Promise<{ started: boolean; errorCode?: string }> {
      const subject = await orderSubject(db, input.orderId);
      if (subject.order.orderRef) return { started: true };
      if (subject.order.status !== 'STARTING') return { started: false, errorCode: subject.order.errorCode ?? undefined };
      const pinned = await pinnedNumberOf(db, linkSecret, subject.promiseId, subject.signatory.key);
      try {
        const order = await client().sign({
          endUserIp: input.endUserIp,
          userVisibleData: base64(userVisibleText(subject)),
          userVisibleDataFormat: 'simpleMarkdownV1',
          userNonVisibleData: base64(subject.sha256),
          ...(pinned ? { requirement: { personalNumber: pinned } } : {}),
        });
        await markStarted(db, input.orderId, order, linkSecret);
        deps.logger?.info({ orderId: input.orderId, promiseId: subject.promiseId }, 'BankID-order startad');
        return { started: true };
      } catch (error) {
        if (!(error instanceof BankIdCallError) || error.transient) throw error;
        await markEnded(db, input.orderId, 'FAILED', { errorCode: error.errorCode });
        deps.logger?.warn({ orderId: input.orderId, errorCode: error.errorCode }, 'BankID vägrade ordern');
        return { started: false, errorCode: error.errorCode };
      }
    },

    /**
     * Collects every two seconds until the order ends, heartbeating, so a worker killed mid-order is
     * noticed and another worker carries on with the same order. A cancel asked for on the record
     * (the person left, or pressed cancel) is passed on to BankID.
     */
    async collectBankIdOrder(input: { orderId: string }): Promise<OrderOutcome> {
      for (;;) {
        Context.current().heartbeat();
        const order = await db.bankIdOrder.findUniqueOrThrow({ where: { id: input.orderId } });
        if (order.status === 'COMPLETE' || order.status === 'HELD') return { status: 'complete' };
        if (order.status !== 'PENDING' || !order.orderRef)
          return { status: 'failed', hintCode: order.hintCode ?? undefined, errorCode: order.errorCode ?? undefined };
        if (order.cancelRequestedAt) {
          await client()
            .cancel(order.orderRef)
            .catch((error: unknown) => {
              // Already over at BankID: nothing left to cancel.
              if (!(error instanceof BankIdCallError) || error.transient) throw error;
            });
          await markEnded(db, order.id, 'CANCELLED', {});
          return { status: 'cancelled' };
        }
        const outcome = await collectOnce(order.id, order.orderRef, order.orderStartedAt!);
        if (outcome) return outcome;
        await sleep(COLLECT_INTERVAL_MS);
      }
    },

    /**
     * Whether the person BankID names may sign for the signatory: a pinned number must be theirs;
     * without one, the name must be the signatory's, or the signature waits for the coordinator.
     */
    async checkBankIdSigner(input: { orderId: string }): Promise<{ match: boolean }> {
      const subject = await orderSubject(db, input.orderId);
      const completion = completionOf(subject.order.completionSealed, linkSecret);
      if (!completion) throw new Error(`BankID-ordern ${input.orderId} saknar sitt bevis.`);
      const pinned = await pinnedNumberOf(db, linkSecret, subject.promiseId, subject.signatory.key);
      const match = pinned ? completion.user.personalNumber === pinned : nameMatches(subject.signatory.name, completion.user.name);
      if (!match) {
        await db.$transaction(async (tx) => {
          await tx.bankIdOrder.update({ where: { id: input.orderId }, data: { status: 'HELD' } });
          await recordAudit(tx, {
            promiseId: subject.promiseId,
            actor: { kind: 'SYSTEM', id: 'bankid' },
            action: 'BANKID_SIGNATURE_HELD',
            details: { orderId: input.orderId, signatoryKey: subject.signatory.key },
          });
        });
      }
      return { match };
    },

    /** The coordinator refused a held signature: the signatory may sign again. */
    async refuseBankIdSignature(input: { orderId: string; actor: Actor }) {
      const subject = await orderSubject(db, input.orderId);
      await db.$transaction(async (tx) => {
        await tx.bankIdOrder.update({ where: { id: input.orderId }, data: { status: 'REFUSED' } });
        await recordAudit(tx, {
          promiseId: subject.promiseId,
          actor: input.actor,
          action: 'BANKID_SIGNATURE_REFUSED',
          details: { orderId: input.orderId, signatoryKey: subject.signatory.key },
        });
      });
    },

    /** An order the workflow gave up on (BankID unreachable for longer than the person can wait). */
    async failBankIdOrder(input: { orderId: string; errorCode: string }) {
      await db.bankIdOrder.updateMany({
        where: { id: input.orderId, status: { in: ['STARTING', 'PENDING'] } },
        data: { status: 'FAILED', errorCode: input.errorCode, endedAt: new Date() },
      });
    },
  };

  /** One collect: undefined while pending (and while BankID is briefly away), the outcome once it is over. */
  async function collectOnce(orderId: string, orderRef: string, startedAt: Date): Promise<OrderOutcome | undefined> {
    try {
      const answer = await client().collect(orderRef);
      if (answer.status === 'pending') {
        await markHint(db, orderId, answer.hintCode);
        return undefined;
      }
      if (answer.status === 'failed') {
        await markEnded(db, orderId, 'FAILED', { hintCode: answer.hintCode });
        return { status: 'failed', hintCode: answer.hintCode };
      }
      await markComplete(db, orderId, answer.completionData, linkSecret);
      deps.logger?.info({ orderId }, 'BankID-order klar');
      return { status: 'complete' };
    } catch (error) {
      if (!(error instanceof BankIdCallError)) throw error;
      const overdue = Date.now() - startedAt.getTime() > (ORDER_LIFETIME_SECONDS + 30) * 1000;
      if (error.transient && !overdue) {
        deps.logger?.warn({ orderId, errorCode: error.errorCode }, 'BankID svarade inte; försöker igen');
        return undefined;
      }
      await markEnded(db, orderId, 'FAILED', { errorCode: error.errorCode });
      return { status: 'failed', errorCode: error.errorCode };
    }
  }
}
