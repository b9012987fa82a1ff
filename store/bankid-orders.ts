import type { BankIdOrderStatus } from '../prisma/generated/client';
import type { BankIdCompletion, BankIdOrder } from '../domain/bankid';
import { openSealed, sealText } from '../domain/crypto';
import { storedContent } from '../domain/stored-content';
import type { Database } from './database';

// A BankID sign order's record: made by the signing page before its workflow starts (so the page
// can show it at once), moved on by the workflow's activities, read by the page every second.

export const createBankIdOrder = (db: Database, input: { id: string; requestId: string; sameDevice: boolean }) =>
  db.bankIdOrder.create({ data: input });

/** The order, if it is one of this signing request's. */
export const bankIdOrderOf = (db: Database, id: string, requestId: string) => db.bankIdOrder.findFirst({ where: { id, requestId } });

/** What the order asks BankID to show and to bind: the promise's title, version, parties and fingerprint, and a pinned number. */
export async function orderSubject(db: Database, id: string) {
  const order = await db.bankIdOrder.findUniqueOrThrow({
    where: { id },
    include: {
      request: {
        include: {
          signatory: true,
          round: { include: { version: true, promise: true } },
        },
      },
    },
  });
  const { round, signatory } = order.request;
  const content = storedContent(round.version.content);
  return {
    order,
    promiseId: round.promiseId,
    title: round.promise.title,
    versionNumber: round.version.number,
    sha256: round.version.sha256,
    parties: content.parties.map((p) => p.name),
    signatory: { key: signatory.key, name: signatory.name },
  };
}

export const markStarted = (db: Database, id: string, order: BankIdOrder, secret: string) =>
  db.bankIdOrder.update({
    where: { id },
    data: {
      status: 'PENDING',
      orderRef: order.orderRef,
      autoStartToken: order.autoStartToken,
      qrStartToken: order.qrStartToken,
      qrSecretSealed: sealText(secret, order.qrStartSecret),
      orderStartedAt: new Date(),
      hintCode: 'outstandingTransaction',
    },
  });

export const markHint = (db: Database, id: string, hintCode: string) =>
  db.bankIdOrder.updateMany({ where: { id, status: 'PENDING', NOT: { hintCode } }, data: { hintCode } });

/** An order that ended without a signature: how BankID said it (hint code) or why it could not go on (error code). */
export const markEnded = (
  db: Database,
  id: string,
  status: Extract<BankIdOrderStatus, 'FAILED' | 'CANCELLED' | 'REFUSED'>,
  why: { hintCode?: string; errorCode?: string },
) => db.bankIdOrder.update({ where: { id }, data: { status, ...why, endedAt: new Date() } });

/** BankID's evidence, kept sealed before anything else happens: BankID gives it to one collect only. */
export const markComplete = (db: Database, id: string, completion: BankIdCompletion, secret: string) =>
  db.bankIdOrder.update({
    where: { id },
    data: { status: 'COMPLETE', hintCode: null, completionSealed: sealText(secret, JSON.stringify(completion)), endedAt: new Date() },
  });

export const requestCancel = (db: Database, id: string) =>
  db.bankIdOrder.updateMany({
    where: { id, status: { in: ['STARTING', 'PENDING'] }, cancelRequestedAt: null },
    data: { cancelRequestedAt: new Date() },
  });

export function completionOf(sealed: string | null, secret: string): BankIdCompletion | undefined {
  return sealed ? (JSON.parse(openSealed(secret, sealed)) as BankIdCompletion) : undefined;
}

export const qrSecretOf = (sealed: string, secret: string) => openSealed(secret, sealed);

/**
 * The signatures that wait for the coordinator: complete at BankID, under a name that is not the
 * signatory's. The coordinator sees both names, and the round whose workflow takes the answer.
 */
export async function heldSignaturesOf(db: Database, secret: string, promiseId: string, orderId?: string) {
  const held = await db.bankIdOrder.findMany({
    where: { status: 'HELD', ...(orderId ? { id: orderId } : {}), request: { round: { promiseId, status: 'OPEN' } } },
    include: { request: { include: { signatory: true, round: true } } },
    orderBy: { createdAt: 'asc' },
  });
  return held.map((order) => ({
    orderId: order.id,
    signatory: order.request.signatory.name,
    bankIdName: completionOf(order.completionSealed, secret)?.user.name ?? '',
    completedAt: order.endedAt!,
    roundWorkflowId: order.request.round.workflowId,
  }));
}
